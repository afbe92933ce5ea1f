from django.db import models


class Widget(models.Model):
    """Rows of the test source: what an importer loads all-or-nothing."""

    name = models.CharField(max_length=100)
    town = models.CharField(max_length=100)
    amount = models.IntegerField(null=True)

    class Meta:
        app_label = "sources_testapp"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name
