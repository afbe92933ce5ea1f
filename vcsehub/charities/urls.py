app_name = "charities"
urlpatterns: list = []
