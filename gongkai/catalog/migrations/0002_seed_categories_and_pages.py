"""Seed the catalog columns an agency's catalog has, and the office-edited pages."""

from django.db import migrations
from django.utils import timezone

COLUMNS = [
    ("org", "机构职能", "Organisation and functions", ["org-functions:机构职能:Functions", "org-leaders:领导信息:Leaders"]),
    ("policy", "政策文件", "Policy documents", ["policy-rules:规范性文件:Normative documents", "policy-other:其他文件:Other documents"]),
    ("plans", "规划计划", "Plans", []),
    ("powers", "行政职权", "Administrative powers", ["powers-list:权力清单:Power list", "powers-duty:责任清单:Responsibility list"]),
    ("approvals", "行政审批", "Administrative approvals", []),
    ("finance", "财政信息", "Fiscal information", ["finance-budget:部门预算:Budgets", "finance-final:部门决算:Final accounts", "finance-3p:三公经费:Three public expenses"]),
    ("procurement", "政府采购", "Government procurement", []),
    ("personnel", "人事信息", "Personnel", []),
    ("news", "警务动态", "Police news", []),
    ("alerts", "警方提示", "Police alerts", []),
    ("press", "新闻发布", "Press releases", []),
    ("interpretation", "政策解读", "Policy interpretation", []),
    ("proposals", "建议提案办理", "Proposal handling", []),
    ("annual-reports", "年度报告", "Annual reports", []),
]

PAGES = [
    ("guide", "政府信息公开指南", "<h2>一、公开范围</h2><p>本机关主动公开的政府信息列入政府信息公开目录。</p>"
     "<h2>二、公开方式</h2><p>门户网站、新闻发布会、政务微博、政务微信、公告栏等。</p>"
     "<h2>三、依申请公开</h2><p>公民、法人或者其他组织可以向本机关申请获取相关政府信息。</p>"),
    ("organisation", "机构设置", "<p>本机关政府信息公开工作领导小组办公室设在指挥中心。</p>"),
    ("contact", "咨询方式", "<p>政府信息公开工作领导小组办公室</p><p>电话：0431-82098251</p>"),
]


def seed(apps, schema_editor):
    Category = apps.get_model("catalog", "Category")
    Page = apps.get_model("catalog", "Page")
    for position, (code, name, name_en, children) in enumerate(COLUMNS, start=1):
        parent = Category.objects.create(code=code, name=name, name_en=name_en, position=position * 10)
        for child_position, child in enumerate(children, start=1):
            child_code, child_name, child_en = child.split(":")
            Category.objects.create(
                code=child_code, name=child_name, name_en=child_en, parent=parent, position=child_position
            )
    now = timezone.now()
    for slug, title, body in PAGES:
        Page.objects.create(slug=slug, title=title, body=body, updated_at=now)


def unseed(apps, schema_editor):
    apps.get_model("catalog", "Page").objects.all().delete()
    Category = apps.get_model("catalog", "Category")
    Category.objects.exclude(parent=None).delete()
    Category.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
