"""The pre-publication gate: secrecy review and accepted findings, for any record.

《政府信息公开条例》第十七条: an administrative body sets up a review mechanism and checks,
under 《保守国家秘密法》 and the other rules, what it is about to disclose. Here that check is
recorded per record and per version: the reviewer confirms "经保密审查，可以公开" for the
exact content (a checksum) that will go out; a changed text or a replaced file is a new
version and needs a new review. 《个人信息保护法》 keeps personal data out unless there is a
reason to publish it: every finding of the scan (scan.py) is removed, or accepted with a
reason by a person allowed to (`publication.accept_finding`), before the review can be
recorded and again at publication.

The publication paths call, in this order:

    version = content_version(item.title, item.body, *attachment_checksums)
    findings = scan_all([item.body, *attachment_files])        # before review
    acceptance = accept_finding(finding=f, user=u, reason="…", target=item)   # where needed
    record_secrecy_review(target=item, version=version, user=reviewer, findings=findings)
    …
    require_secrecy_review(item, version)                      # at publication
    require_findings_resolved(item, scan_all([...]))           # the scan again at publication

or, at publication, both in one call: `require_publishable(item, version, [texts, files])`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from publication.models import FindingAcceptance, SecrecyReview, default_allow_list
from publication.scan import Finding, ScanResult, scan

REVIEW_PERMISSION = "publication.record_secrecy_review"
ACCEPT_PERMISSION = "publication.accept_finding"


def content_version(*parts: str | bytes | None) -> str:
    """SHA-256 over the parts in order (each length-prefixed, so ("ab", "c") and ("a", "bc")
    differ): the version a secrecy review is recorded for."""
    digest = hashlib.sha256()
    for part in parts:
        data = b"" if part is None else part if isinstance(part, bytes) else str(part).encode()
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def scan_all(sources: Iterable, allow: Iterable[str] | None = None) -> list[Finding]:
    """The findings of several texts and files together (see scan.scan)."""
    findings: list[Finding] = []
    if allow is None:
        allow = default_allow_list()  # read once for all the sources
    for source in sources:
        if source is None or source == "":
            continue
        result: ScanResult = scan(source, allow)
        findings.extend(result.findings)
    return findings


def _target_keys(target) -> dict:
    if getattr(target, "pk", None) is None:
        raise ValueError("a secrecy review is recorded for a saved record")
    return {
        "content_type": ContentType.objects.get_for_model(target, for_concrete_model=False),
        "object_id": str(target.pk),
    }


def _user_may(user, permission: str) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(permission))


def accept_finding(*, finding: Finding, user, reason: str, target=None, source: str = ""):
    """Record that `finding` stays in what is published, with the reason (e.g. "本机关公开的
    值班电话"). `target`: the record it is published with (may be attached later by the
    review)."""
    if not _user_may(user, ACCEPT_PERMISSION):
        raise PermissionDenied(_("您没有确认保留个人信息的权限。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写保留这项个人信息的理由。"), code="reason_required")
    acceptance = FindingAcceptance(
        kind=finding.kind,
        masked=finding.masked,
        location=str(finding.location)[:300],
        source=(source or finding.source)[:255],
        fingerprint=finding.fingerprint,
        reason=reason,
        accepted_by=user,
        accepted_at=timezone.now(),
        **(_target_keys(target) if target is not None else {}),
    )
    acceptance.full_clean()
    acceptance.save()
    return acceptance


def acceptances_for(target) -> list[FindingAcceptance]:
    return list(FindingAcceptance.objects.filter(**_target_keys(target)))


def unresolved(findings: Iterable[Finding], acceptances: Iterable[FindingAcceptance]):
    """The findings no acceptance covers (an acceptance covers its value wherever it is)."""
    accepted = {(a.kind, a.fingerprint) for a in acceptances}
    return [f for f in findings if (f.kind, f.fingerprint) not in accepted]


def _unresolved_error(open_findings: list[Finding]) -> ValidationError:
    listed = "；".join(str(f) for f in open_findings[:10])
    more = len(open_findings) - 10
    return ValidationError(
        _(
            "发现 %(count)s 处未处理的个人信息：%(listed)s%(more)s。请删除，"
            "或由有权限的人员填写理由确认保留后再审查或发布。"
        ),
        code="personal_data_unresolved",
        params={
            "count": len(open_findings),
            "listed": listed,
            "more": f"等（另有 {more} 处）" if more > 0 else "",
        },
    )


def require_findings_resolved(target, findings: Iterable[Finding]) -> None:
    """Raise ValidationError (code "personal_data_unresolved") unless every finding is
    accepted for `target`. Call it with a fresh scan at publication."""
    open_findings = unresolved(findings, acceptances_for(target))
    if open_findings:
        raise _unresolved_error(open_findings)


@transaction.atomic
def record_secrecy_review(
    *,
    target,
    version: str,
    user,
    findings: Iterable[Finding] = (),
    acceptances: Iterable[FindingAcceptance] = (),
    note: str = "",
) -> SecrecyReview:
    """The reviewer confirms "经保密审查，可以公开" for `version` of `target`.

    `findings`: the scan of what was reviewed; each must be covered by an acceptance (those
    given, or those already recorded for `target`), else the review is refused. Acceptances
    given without a target are attached to `target`. The review keeps the findings (masked)
    and the acceptances.
    """
    if not _user_may(user, REVIEW_PERMISSION):
        raise PermissionDenied(_("您没有进行保密审查的权限。"))
    if not version:
        raise ValidationError(_("请指明所审查的版本。"), code="version_required")
    keys = _target_keys(target)
    given = list(acceptances)
    for acceptance in given:
        if acceptance.content_type_id is None:
            acceptance.content_type = keys["content_type"]
            acceptance.object_id = keys["object_id"]
            acceptance.save(update_fields=["content_type", "object_id"])
        elif (acceptance.content_type_id, acceptance.object_id) != (
            keys["content_type"].pk,
            keys["object_id"],
        ):
            raise ValidationError(_("该保留确认属于另一条记录。"), code="acceptance_elsewhere")
    findings = list(findings)
    known = {a.pk: a for a in [*given, *acceptances_for(target)]}
    open_findings = unresolved(findings, known.values())
    if open_findings:
        raise _unresolved_error(open_findings)
    covering = {(f.kind, f.fingerprint) for f in findings}
    review = SecrecyReview(
        **keys,
        version=version,
        reviewer=user,
        reviewed_at=timezone.now(),
        findings=[f.as_dict() for f in findings],
        note=note,
    )
    review.full_clean()
    review.save()
    review.acceptances.set(
        [a for a in known.values() if (a.kind, a.fingerprint) in covering or a in given]
    )
    return review


def latest_secrecy_review(target) -> SecrecyReview | None:
    return SecrecyReview.objects.filter(**_target_keys(target)).first()


def require_secrecy_review(target, version: str) -> SecrecyReview:
    """The secrecy review recorded for exactly this version of `target`; raises
    ValidationError (code "secrecy_review_missing") when there is none, or only for
    another version."""
    review = SecrecyReview.objects.filter(**_target_keys(target), version=version).first()
    if review is not None:
        return review
    if latest_secrecy_review(target) is not None:
        raise ValidationError(
            _("内容在保密审查后已有改动，须对当前版本重新进行保密审查后才能公开。"),
            code="secrecy_review_missing",
        )
    raise ValidationError(
        _("未经保密审查，不能公开。请审查人确认“经保密审查，可以公开”后再发布。"),
        code="secrecy_review_missing",
    )


def require_publishable(target, version: str, sources: Iterable = (), allow=None):
    """The gate every publication path calls last: a secrecy review of exactly this version,
    and a fresh scan of `sources` (texts and files) whose every finding is accepted for
    `target`. Returns the review; raises ValidationError ("secrecy_review_missing" or
    "personal_data_unresolved", Chinese message) otherwise."""
    review = require_secrecy_review(target, version)
    require_findings_resolved(target, scan_all(sources, allow))
    return review
