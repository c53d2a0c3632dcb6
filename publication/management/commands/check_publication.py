"""`manage.py check_publication FILE [FILE...]`: the pre-publication personal-data scan of
files, before they are uploaded (《个人信息保护法》; the same scan runs again at publication).

Prints each finding with where it is and its masked value, then what would stop the file at
publication (tracked changes, comments). Exit status: 0 when every file is clean, 1 when
anything was found, 2 when a file could not be read or is of an unknown type.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django.db import DatabaseError

from publication import files, metadata
from publication.models import default_allow_list
from publication.scan import scan


class Command(BaseCommand):
    help = "检查待公开文件中的个人信息（身份证号、手机号、邮箱、护照号、银行卡号等）。"

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="PDF、docx、xlsx、csv、txt")

    def handle(self, *paths, **options):
        try:
            allow = default_allow_list()
        except DatabaseError:
            self.stderr.write("（无法读取数据库中的公开号码白名单，本次不排除任何号码。）")
            allow = frozenset()
        found = failed = 0
        for path in options["files"]:
            self.stdout.write(f"文件：{path}")
            try:
                data, name = files.read_source(path)
                result = scan(data, allow, name=name)
                problems = metadata.publication_problems(data, name)
            except ValidationError as exc:
                failed += 1
                self.stderr.write(f"  错误：{files.message(exc)}")
                continue
            for finding in result.findings:
                self.stdout.write(f"  {finding.location}：{finding.kind_label} {finding.masked}")
            for problem in problems:
                self.stdout.write(f"  不能公开：{files.message(problem)}")
            for warning in result.warnings:
                self.stdout.write(f"  提示：{warning}")
            if result.findings or problems:
                found += 1
                self.stdout.write(
                    f"  共发现 {len(result.findings)} 处个人信息，{len(problems)} 项须处理的问题。"
                )
            else:
                self.stdout.write("  未发现个人信息。")
        if failed:
            raise SystemExit(2)
        if found:
            raise SystemExit(1)
