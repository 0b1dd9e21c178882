from django.urls import path

from tuijin.supervision.views import board_exports, boards, items, problems

app_name = "supervision"
urlpatterns = [
    # Boards (督办台账)
    path("", boards.item_board, name="item_board"),
    path("units/", boards.unit_board, name="unit_board"),
    path("leaders/", boards.leader_board, name="leader_board"),
    path("units/export.xlsx", board_exports.unit_board_export, name="unit_board_export"),
    path("leaders/export.xlsx", board_exports.leader_board_export, name="leader_board_export"),
    path("export.xlsx", boards.item_export, name="item_export"),
    path("urge/", boards.item_urge, name="item_urge"),
    # Items
    path("items/new/", items.item_create, name="item_create"),
    path("items/<int:pk>/", items.item_detail, name="item_detail"),
    path("items/<int:pk>/<str:verb>/", items.item_action, name="item_action"),
    path("directive/<int:project_pk>/", items.directive_create, name="directive_create"),
    # Problems
    path("problems/", problems.problem_list, name="problem_list"),
    path("problems/export.xlsx", problems.problem_export, name="problem_export"),
    path("problems/new/<int:project_pk>/", problems.problem_create, name="problem_create"),
    path("problems/<int:pk>/", problems.problem_detail, name="problem_detail"),
    path("problems/<int:pk>/<str:verb>/", problems.problem_action, name="problem_action"),
]
