"""Who sees and manages which parks' factors (the scope every factors queryset reads).

- admins: every park;
- the zone's leaders, 督查室 and inspectors, and the desk units (招商局, 发改/经济发展局,
  自然资源和规划分局: ``FactorRules.desk_keywords``): every park of their zone;
- a park's own people (their unit is the park or under it): their park;
- enterprise liaisons, people of other units, accounts without a person: nothing.

Managing (supply, movements, needs, escalation) is for the zone's leaders, the desk units and
a park's own people for their park; 亩均 years and the rules for the zone's leaders and the
desk units. 督查室 and inspectors read only. Worked out once per request (cached on the user).
"""

from tuijin.factors.models import (
    FactorAccess,
    factor_access,
    factor_parks,
    is_desk_unit,
    sees_factors,
)

__all__ = ["FactorAccess", "factor_access", "factor_parks", "is_desk_unit", "sees_factors"]
