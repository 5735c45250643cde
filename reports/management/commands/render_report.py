"""Render a report synchronously, without the worker: the same builder and renderer."""

import time
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import override

from enterprises.models import Enterprise
from reports.builders import build_enterprise, build_partner, build_programme, build_workshop
from reports.rendering import render_pdf, render_xlsx
from score_portal.models import Partner
from workshops.models import Workshop


class Command(BaseCommand):
    help = "Render an enterprise, partner, programme or workshop report to a PDF file."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["enterprise", "partner", "programme", "workshop"])
        parser.add_argument("--scope", help="enterprise id, partner code or workshop id")
        parser.add_argument("--lang", choices=["en", "zh-hans"], default="en")
        parser.add_argument("-o", "--output", required=True, help="PDF file to write")
        parser.add_argument("--xlsx", help="also write the spreadsheet to this file")
        parser.add_argument("--from", dest="period_from", type=date.fromisoformat)
        parser.add_argument("--to", dest="period_to", type=date.fromisoformat)

    def handle(self, *args, kind, scope, lang, output, xlsx, period_from, period_to, **options):
        period = {"period_from": period_from, "period_to": period_to, "language": lang}
        started = time.perf_counter()
        with override(lang):
            if kind == "enterprise":
                if not scope or not scope.isdigit():
                    raise CommandError("An enterprise report needs --scope ENTERPRISE_ID.")
                if not Enterprise.objects.filter(pk=int(scope)).exists():
                    raise CommandError(f"No enterprise with id {scope}.")
                context = build_enterprise(enterprise_id=int(scope), **period)
            elif kind == "partner":
                partner = Partner.objects.filter(code__iexact=scope or "").first()
                if partner is None:
                    raise CommandError("A partner report needs --scope PARTNER_CODE.")
                context = build_partner(partner_id=partner.pk, **period)
            elif kind == "workshop":
                if not scope or not scope.isdigit():
                    raise CommandError("A workshop report needs --scope WORKSHOP_ID.")
                if not Workshop.objects.filter(pk=int(scope)).exists():
                    raise CommandError(f"No workshop with id {scope}.")
                context = build_workshop(workshop_id=int(scope), language=lang)
            else:
                if scope:
                    raise CommandError("A programme report has no --scope.")
                context = build_programme(**period)
            built = time.perf_counter()
            Path(output).write_bytes(render_pdf(context))
            if xlsx:
                Path(xlsx).write_bytes(render_xlsx(context))
        self.stdout.write(
            f"Wrote {output} (build {built - started:.2f} s, "
            f"render {time.perf_counter() - built:.2f} s)."
        )
