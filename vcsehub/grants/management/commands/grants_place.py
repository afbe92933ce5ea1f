"""vcsehub grants_place — place grants again after postcodes, areas or registers change."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from vcsehub.grants.models import Grant
from vcsehub.grants.placing import grants_place
from vcsehub.grants.purposes import LABELS, grant_purposes_classify


class Command(BaseCommand):
    help = (
        "Place every grant again (beneficiary area, recipient postcode or registered address "
        "→ small area, ward, local authority, IMD decile), link recipients to the charity "
        "registers, and classify purposes again. Run after importing postcodes, areas, "
        "deprivation or registers."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dataset", help="only the grants of this dataset (its identifier); default: all"
        )
        parser.add_argument(
            "--no-purposes", action="store_true", help="do not classify purposes again"
        )

    def handle(self, *args, **options) -> None:
        grants = Grant.objects.all()
        if options["dataset"]:
            grants = grants.filter(dataset__identifier=options["dataset"])
        summary = grants_place(grants=grants)
        for line in summary.lines():
            self.stdout.write(line)
        if not options["no_purposes"]:
            counts = grant_purposes_classify(grants=grants)
            self.stdout.write("Grants by purpose (a grant can have several):")
            for code, count in counts.items():
                self.stdout.write(f"  {LABELS[code]}: {count:,}")
