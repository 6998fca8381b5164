from django.db import models


class BareRow(models.Model):
    """One row per bare insert: the cheapest write a logged-in POST can make."""

    author_id = models.BigIntegerField()
    payload = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.author_id}: {self.payload}"
