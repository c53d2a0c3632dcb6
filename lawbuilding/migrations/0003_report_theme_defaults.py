"""The default headings and opening sentences of the report's five themes (the seed report's
2021 part). "{机关简称}" in an opening sentence is replaced by the office's short name."""

from django.db import migrations

DEFAULTS = [
    (
        "leadership",
        1,
        "党组重视，引领法治政府建设",
        "全面推进依法治国总目标是建设中国特色社会主义法治体系、建设社会主义法治国家，"
        "是习近平新时代中国特色社会主义思想的重要组成部分。",
    ),
    ("institutions", 2, "建章立制，完善法治建设内容", ""),
    ("risk", 3, "压实责任，依法防范重大风险", ""),
    (
        "supervision",
        4,
        "强化监督，推进科学民主决策",
        "自觉接受人民监督是法治政府建设的基本要求，科学决策是法治国家的基本特征。",
    ),
    ("learning", 5, "加强学习，提升依法行政能力", "学习是提升能力的重要途径。"),
]


def add_defaults(apps, schema_editor):
    model = apps.get_model("lawbuilding", "ReportThemeDefault")
    for theme, order, heading, lead in DEFAULTS:
        model.objects.get_or_create(
            theme=theme, defaults={"order": order, "heading": heading, "lead": lead}
        )


class Migration(migrations.Migration):
    dependencies = [("lawbuilding", "0002_annual_report")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
