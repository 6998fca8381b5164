"""The tenant schema's setting descriptions (units/schema/tenant.schema.json), listed so that
``makemessages`` puts them in the catalogue: the settings page shows them as help text in the
page's language (units.tenant_forms._setting_field). Regenerate when a description changes
(tests/test_tenant_pages.py checks that each one is listed)."""

from __future__ import annotations

from django.utils.translation import gettext_noop

DESCRIPTIONS = (
    gettext_noop("申报人初始密码：身份证号后六位，或由单位设置。"),
    gettext_noop("每年退回修改次数上限，达到后当年不再受理（003 三）；null 为不限。"),
    gettext_noop("每年退回修改次数上限，达到后当年不再受理（003 三）；留空为不限。"),
    gettext_noop("单位评议组最少人数（002 第七条：不少于7人）。"),
    gettext_noop("公示工作日数（不少于5个工作日）。"),
    gettext_noop("弄虚作假者限制申报的年数（从评审次年起）。"),
    gettext_noop("单位推荐前须经评议组、量化赋分、公示和推荐名单。"),
    gettext_noop("评审表纸张：A4，或 A3 对折成册（河南）。"),
    gettext_noop("打印考核认定表的级别（初级考核认定）；空为不打印。"),
    gettext_noop("评审材料册的装订顺序；空为不装订材料册。"),
    gettext_noop("推荐人员名单（花名册）的标题与列。"),
    gettext_noop("任职资格文件的发文机关与文号前缀；省略时用职称主管机关和“<名称>职称”。"),
    gettext_noop("收费标准：按费用类别、级别和评价方式取第一条匹配项；未列出的由经办人填写金额。"),
    gettext_noop(
        "公示表落款日期的核对：slot 为申报材料中公示表的代码（设置后单位在审核页录入公示表上的承诺、公示和单位意见日期"
        "并逐项核对）；required 为 true 时未录入不能审核通过（003 五(六)）。"
    ),
    gettext_noop(
        "单位评审推荐程序的本地步骤：rules_approval 为 true 时，本单位《量化考核实施细则》须录入职代会讨论通过和上级主"
        "管部门同意（日期、文件）后才能量化赋分；hearings 为 true 时逐人记录公开述职和考核答辩；documents 为推荐程序页"
        "可下载的文书（review_report 审查情况报告表、summary_sheet 情况一览表、scoring_sheet 量化赋分表）（002 第一篇 "
        "第七条(三)—(五)、第九条）。"
    ),
    gettext_noop(
        "破格申报的本地要求：form_name 审批表名称；excellent_assessments 须有的“优秀”年度考核个数；appraisal_commission"
        "ers 按级别写明委托同行专家鉴定的职改部门（列出的级别须录入该部门委托的专家鉴定后才能批准，个人或单位委托无效）"
        "。"
    ),
    gettext_noop("考核认定表的本地名称与填表说明（省略时为“初级专业技术职务考核认定表”）。"),
    gettext_noop(
        "申诉复查期限：受理申诉次日起的工作日数；逾期未复查的向市人社部门提示，逾期作出的结论记为逾期（003 六(二)3）。"
    ),
    gettext_noop(
        "证书编号格式：{region} 行政区划代码、{year} 年份、{level_digit} 级别数字（员级1…正高级5）、{serial:05d} 流水号"
        "、{code} 租户代码。"
    ),
)
