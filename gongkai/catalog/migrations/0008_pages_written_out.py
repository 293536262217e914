"""The office's pages written out as a real agency's are: the guide (what is published and where,
how to apply with the procedure as a step diagram, time limits, fees, remedies, the office's
address and hours), the organisation and the contact page. Only pages still holding the
placeholder text of 0002 are changed: a page the office has edited is left as it is."""

from django.db import migrations
from django.utils import timezone

PLACEHOLDERS = {
    "guide": "<h2>一、公开范围</h2><p>本机关主动公开的政府信息列入政府信息公开目录。</p>"
    "<h2>二、公开方式</h2><p>门户网站、新闻发布会、政务微博、政务微信、公告栏等。</p>"
    "<h2>三、依申请公开</h2><p>公民、法人或者其他组织可以向本机关申请获取相关政府信息。</p>",
    "organisation": "<p>本机关政府信息公开工作领导小组办公室设在指挥中心。</p>",
    "contact": "<p>政府信息公开工作领导小组办公室</p><p>电话：0431-82098251</p>",
}

GUIDE = """<p>为了便于公民、法人和其他组织获取本机关的政府信息，根据《中华人民共和国政府信息公开条例》（以下简称《条例》），编制本指南。本指南每年更新一次；内容有调整的，以本网站公布的最新版本为准。</p>
<h2>一、主动公开</h2>
<h3>（一）公开范围</h3>
<p>本机关按照《条例》第十九条、第二十条的规定，主动公开机构职能、规范性文件、行政许可和行政处罚等权责清单、办事指南、财政预决算、政府采购、人事信息、警务动态、警方提示、新闻发布、政策解读、建议提案办理结果和政府信息公开工作年度报告等信息。具体内容见本网站的<a href="/catalog/">政府信息公开目录</a>。</p>
<h3>（二）公开方式和时限</h3>
<p>主动公开的政府信息，以本网站为第一平台发布，同时通过吉林省人民政府门户网站、本机关政务微博和政务微信、新闻发布会以及省公安厅政务服务大厅的查阅点公开，并送吉林省档案馆、吉林省图书馆供公众查阅。</p>
<p>属于主动公开范围的政府信息，自该信息形成或者变更之日起 20 个工作日内予以公开（《条例》第二十六条）。</p>
<h2>二、依申请公开</h2>
<h3>（一）受理机构</h3>
<p>本机关政府信息公开工作领导小组办公室（设在指挥中心，以下简称“公开办”）统一受理向本机关提出的政府信息公开申请。各警种、部门不单独受理。</p>
<h3>（二）申请方式</h3>
<ul>
<li><strong>网上申请：</strong>在本网站<a href="/apply/">在线提交申请</a>，提交当天即为收到申请之日，页面当场显示受理编号和查询码，可<a href="/apply/status/">查询办理进度</a>。</li>
<li><strong>信函申请：</strong>填写申请表（可从本网站打印，也可自行书写，内容与在线申请表相同），邮寄至公开办，信封上请注明“政府信息公开申请”。以双方确认之日（挂号信、快递以签收之日）为收到申请之日。</li>
<li><strong>当面申请：</strong>在办公时间到公开办当面提交书面申请；书写确有困难的，可以口头提出，由工作人员代为填写，经申请人确认后提交。</li>
</ul>
<p>本机关不通过电话、短信或电子邮件受理申请。申请应当包括：申请人的姓名或者名称、身份证明、联系方式；所需政府信息的名称、文号或者便于查询的其他特征性描述；获取信息的方式和途径（《条例》第二十九条）。</p>
<h3>（三）办理流程</h3>
<ol class="steps">
<li><strong>提交申请</strong>网上、信函或者当面提交，取得受理编号。</li>
<li><strong>登记和审查</strong>公开办登记申请，审查内容是否明确。<ul class="branch"><li>内容不明确的：自收到申请之日起 7 个工作日内一次性告知补正；收到补正后重新计算答复期限（第三十条）。</li></ul></li>
<li><strong>交办和征求意见</strong>公开办交有关部门提出意见。<ul class="branch"><li>涉及第三方合法权益的：书面征求第三方意见，第三方 15 个工作日内提出意见，所需时间不计入答复期限（第三十二条）。</li></ul></li>
<li><strong>拟定答复并审批</strong>按《条例》第三十六条拟定答复，经负责人审批。</li>
<li><strong>出具答复</strong>以书面形式答复申请人，并按申请人选择的方式提供信息；申请人可在网上查询办理结果、下载答复书。</li>
</ol>
<h3>（四）答复时限</h3>
<p>能够当场答复的，当场予以答复；不能当场答复的，自收到申请之日起 20 个工作日内予以答复。需要延长答复期限的，经公开办负责人同意并告知申请人，延长的期限最长不超过 20 个工作日（《条例》第三十三条）。</p>
<h3>（五）收费</h3>
<p>提供政府信息不收取费用。申请人申请公开政府信息的数量、频次明显超过合理范围的，依照《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）收取信息处理费，收费前书面告知申请人：</p>
<table class="fee-table">
<caption>信息处理费标准</caption>
<thead><tr><th scope="col">计收方式</th><th scope="col">标准</th></tr></thead>
<tbody>
<tr><td>按件计收</td><td>同一申请人一个自然月内累计申请 10 件以下（含）的，不收费；11—30 件（含）的部分，每件 100 元；30 件以上的部分，每 10 件为一档，每增加一档收费标准提高 100 元。</td></tr>
<tr><td>按量计收</td><td>同一申请一次提供的信息 30 页以下（含）的，不收费；31—100 页（含）的部分，每页 10 元；101—200 页（含）的部分，每页 20 元；200 页以上的部分，每页 40 元。</td></tr>
</tbody>
</table>
<h2>三、救济途径</h2>
<p>公民、法人或者其他组织认为本机关在政府信息公开工作中侵犯其合法权益的，可以向吉林省人民政府办公厅（省政府信息公开工作主管部门）投诉、举报；也可以自知道该行为之日起 60 日内向吉林省人民政府申请行政复议，或者自知道该行为之日起 6 个月内依法向人民法院提起行政诉讼（《条例》第五十一条）。</p>
<h2>四、公开办联系方式</h2>
<div class="office-card">
<p><strong>吉林省公安厅政府信息公开工作领导小组办公室</strong></p>
<p>地址：吉林省长春市南关区人民大街 2345 号（省公安厅指挥中心一楼政务公开室）</p>
<p>邮政编码：130022</p>
<p>办公时间：周一至周五 8:30—11:30，13:30—17:00（法定节假日除外）</p>
<p>咨询电话：0431-82098251　传真：0431-82098250</p>
<p>电子邮箱：xxgk@gat.jl.gov.cn（仅用于咨询，不受理申请）</p>
</div>"""

ORGANISATION = """<p>吉林省公安厅是省人民政府主管全省公安工作的组成部门，在省委、省政府和公安部领导下，负责全省的社会治安、出入境管理、户籍管理、交通安全管理、网络安全保卫等工作。</p>
<h2>一、政府信息公开工作机构</h2>
<p>本机关成立政府信息公开工作领导小组，由分管副厅长任组长，办公厅、指挥中心、法制总队、宣传处负责人为成员。领导小组办公室（公开办）设在指挥中心，负责：</p>
<ul>
<li>组织制定本机关政府信息公开的规章制度和年度工作计划；</li>
<li>维护和更新本机关公开的政府信息，编制政府信息公开指南、目录和年度报告；</li>
<li>统一受理、办理向本机关提出的政府信息公开申请；</li>
<li>组织对拟公开的政府信息进行保密审查。</li>
</ul>
<h2>二、内设机构和直属单位</h2>
<p>与公众办事关系密切的内设机构：</p>
<table class="org-table">
<caption>主要内设机构</caption>
<thead><tr><th scope="col">机构</th><th scope="col">主要职责</th></tr></thead>
<tbody>
<tr><td>办公室</td><td>综合协调、文电、机要、政务公开的日常管理</td></tr>
<tr><td>指挥中心</td><td>110 报警服务、警情调度，政府信息公开工作领导小组办公室</td></tr>
<tr><td>出入境管理局</td><td>中国公民因私出入境证件、外国人签证和居留许可的管理</td></tr>
<tr><td>治安管理总队</td><td>户籍和居民身份证管理、治安管理、特种行业和公共场所管理</td></tr>
<tr><td>交通警察总队</td><td>道路交通安全管理、机动车和驾驶人管理</td></tr>
<tr><td>法制总队</td><td>执法监督、行政复议和行政诉讼应诉、规范性文件审核</td></tr>
</tbody>
</table>
<p>各机构的职能、负责人和联系方式见<a href="/catalog/c/org/">机构职能</a>栏目。</p>"""

CONTACT = """<p>对本机关政府信息公开工作有疑问，或者找不到需要的信息，可以通过下列方式咨询。咨询不是政府信息公开申请；需要获取政府信息的，请<a href="/apply/">提交申请</a>。</p>
<div class="office-card">
<p><strong>吉林省公安厅政府信息公开工作领导小组办公室</strong></p>
<p>地址：吉林省长春市南关区人民大街 2345 号（省公安厅指挥中心一楼政务公开室）</p>
<p>邮政编码：130022</p>
<p>办公时间：周一至周五 8:30—11:30，13:30—17:00（法定节假日除外）</p>
<p>咨询电话：0431-82098251</p>
<p>传真：0431-82098250</p>
<p>电子邮箱：xxgk@gat.jl.gov.cn</p>
</div>
<h2>其他常用电话</h2>
<ul>
<li>报警求助：110（紧急情况请直接拨打，不要使用本网站）</li>
<li>出入境、户籍、交通管理等业务咨询：请见<a href="/catalog/c/approvals/">行政审批</a>栏目中各事项办事指南所列的咨询电话</li>
</ul>
<p>办理政府信息公开申请的流程、时限和收费，见<a href="/catalog/pages/guide/">政府信息公开指南</a>。</p>"""


WRITTEN = {"guide": GUIDE, "organisation": ORGANISATION, "contact": CONTACT}


def write_out(apps, schema_editor):
    Page = apps.get_model("catalog", "Page")
    now = timezone.now()
    for slug, body in WRITTEN.items():
        Page.objects.filter(slug=slug, body=PLACEHOLDERS[slug]).update(body=body, updated_at=now)


def back_to_placeholders(apps, schema_editor):
    Page = apps.get_model("catalog", "Page")
    for slug, body in WRITTEN.items():
        Page.objects.filter(slug=slug, body=body).update(body=PLACEHOLDERS[slug])


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0007_attachment_text"),
    ]

    operations = [migrations.RunPython(write_out, back_to_placeholders)]
