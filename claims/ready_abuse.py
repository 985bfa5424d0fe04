"""Registrations of issue 6 (called from ClaimsConfig.ready)."""


def register() -> None:
    from shop import hooks

    from . import abuse_identities, abuse_rules, tasks_abuse  # noqa: F401  (tasks: registered in every process)
    from .abuse_measures import check_return_freight_allowed
    from .abuse_reports import buyer_block_check
    from .engine import filing

    abuse_rules.ensure()
    abuse_identities.register()  # RF-1: the consumer_identities sync section
    if buyer_block_check not in hooks.order_intake_checks:
        hooks.order_intake_checks.append(buyer_block_check)  # RF-4: buyer_blocked at intake
    if rf_eligibility not in filing.eligibility_checks:
        filing.eligibility_checks.append(rf_eligibility)  # RF-3: 403 not_eligible
    _ = check_return_freight_allowed
    from shop import views as shop_views

    if report_evidence_visible not in shop_views.upload_access_checks:
        shop_views.upload_access_checks.append(report_evidence_visible)  # RF-4 evidence for colleagues


def report_evidence_visible(user, upload) -> bool:
    """A merchant sees the evidence of their own shop's abuse reports (colleagues included)."""
    from shop.selectors import shop_for

    from .models import AbuseReport

    shop = shop_for(user)
    return shop is not None and AbuseReport.objects.filter(shop=shop, evidence=upload).exists()


def rf_eligibility(*, kind: str, order, consumer) -> None:
    """RF-3: a frozen / revoked 退货补运费 benefit refuses return-freight claims."""
    if kind == "return_freight":
        from .abuse_measures import check_return_freight_allowed

        check_return_freight_allowed(consumer)
