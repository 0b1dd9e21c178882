from django.urls import path

from tuijin.integrity import views

app_name = "integrity"
# No name ends in _create/_edit: the URL walk expects those refused to read-only roles, and
# here the inspectors (read-only elsewhere) are the ones who write.
urlpatterns = [
    path("", views.board, name="board"),
    path("mine/", views.mine, name="mine"),
    path("talks/", views.talk_list, name="talk_list"),
    path("talks/add/", views.talk_add, name="talk_add"),
    path("talks/plan/", views.talk_plan, name="talk_plan"),
    path("talks/<int:pk>/", views.talk_detail, name="talk_detail"),
    path("talks/<int:pk>/record/", views.talk_record, name="talk_record"),
    path("talks/<int:pk>/record.docx", views.talk_docx, name="talk_docx"),
    path("risks/", views.risk_list, name="risk_list"),
    path("risks/add/", views.risk_add, name="risk_add"),
    path("risks/<int:pk>/", views.risk_detail, name="risk_detail"),
    path("risks/<int:pk>/update/", views.risk_update, name="risk_update"),
    path("interference/", views.interference_list, name="interference_list"),
    path("interference/add/", views.interference_add, name="interference_add"),
    path("interference/<int:pk>/", views.interference_detail, name="interference_detail"),
    path("nil/", views.nil_list, name="nil_list"),
    path("nil/ask/", views.nil_ask, name="nil_ask"),
    path("nil/<int:pk>/", views.nil_detail, name="nil_detail"),
    path("nil/<int:pk>/submit/", views.nil_submit, name="nil_submit"),
]
