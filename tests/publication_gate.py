"""Recording the secrecy review (《政府信息公开条例》第十七条) that every publication path now
needs, for tests that publish: a reviewer with the permission, and one call per path."""

from __future__ import annotations

from django.contrib.auth.models import User


def gate_reviewer(user: User | None = None) -> User:
    """`user` when it may record secrecy reviews, else a superuser made for the purpose."""
    if user is not None and user.has_perm("publication.record_secrecy_review"):
        return user
    reviewer = User.objects.filter(username="baomi_shencha").first()
    if reviewer is None:
        reviewer = User.objects.create_superuser(
            "baomi_shencha", "baomi@example.invalid", "Baom1-Passw0rd!"
        )
    return reviewer


def review_report(report, user: User | None = None):
    from lawbuilding import services

    return services.report_record_secrecy_review(report=report, user=gate_reviewer(user))


def publish_notice(notice, user: User | None = None):
    from supervision import publishing

    return publishing.notice_review_and_publish(notice=notice, user=gate_reviewer(user))


def review_reply(req, user: User | None = None):
    from applications import services

    return services.record_reply_secrecy_review(req, user=gate_reviewer(user))


def review_item(item, user: User | None = None):
    from disclosure import services

    return services.disclosure_item_record_secrecy_review(item=item, user=gate_reviewer(user))


def review_work_report(report, user: User | None = None):
    from applications import work_report_services

    return work_report_services.work_report_record_secrecy_review(
        report=report, user=gate_reviewer(user)
    )
