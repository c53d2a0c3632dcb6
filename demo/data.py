"""The facts of the seed report (and the plausible details marked is_demo), as plain data.

Strings quoted from the seed keep its punctuation (half-width commas and brackets).
"""

from datetime import date

ORG = {
    "full_name": "常州市人民政府外事办公室",
    "short_name": "市外事办",
    "org_code": "014109568",
    "hotline": "85683342",
}
OFFICE = ORG["full_name"]

DIVISIONS = [{"name": "出国来华和行政服务处", "is_rule_of_law_lead": True}]

# (name, post, unit, is_demo); people are keyed by (name, unit).
TIANGANG = "天刚律师事务所"
PEOPLE = {
    "张宇": ("张宇", "办党组书记、主任", OFFICE, False),
    "张步东": ("张步东", "副馆长", "常州市档案馆", False),
    "时轶": ("时轶", "律师", TIANGANG, False),
    "钱七": ("钱七", "律师", TIANGANG, True),
    "孙八": ("孙八", "律师", TIANGANG, True),
    "王五": ("王五", "办党组成员、副主任（分管法治政府建设）", OFFICE, True),
    "赵六": ("赵六", "出国来华和行政服务处工作人员（法治政府建设联络员）", OFFICE, True),
}

# Leading groups: name -> fields and members (person key, role, post).
LEADING_GROUPS = [
    {
        "name": "依法行政工作领导小组",
        "purpose": "在办党组领导下统筹推进法治政府建设,监督、督促做好法治政府建设,履行法治责任。",
        # The seed reports it founded in 2021; the day is a plausible one.
        "established_on": date(2021, 3, 1),
        "adjusted_on": None,
        "members": [
            ("张宇", "leader", "办党组书记、主任"),
            ("王五", "in_charge", "分管法治政府建设的党组成员"),
            ("赵六", "liaison", "法治政府建设联络员"),
        ],
    },
    {
        "name": "政务公开工作领导小组",
        "purpose": "领导和推进本机关政务公开工作。2021年调整了小组成员。",
        "established_on": None,
        "adjusted_on": date(2021, 4, 12),
        "members": [],
    },
    {
        "name": "国家安全小组",
        "purpose": "负责本机关国家安全工作。2021年调整了小组成员。",
        "established_on": None,
        "adjusted_on": date(2021, 5, 10),
        "members": [],
    },
    {
        "name": "新冠肺炎疫情涉外防控专项工作组",
        "purpose": (
            "贯彻落实习近平总书记关于新冠肺炎疫情防控工作的重要指示精神,做好涉外疫情防控工作。"
        ),
        "established_on": date(2021, 1, 18),
        "adjusted_on": None,
        "members": [],
    },
]

OFFICE_PARTY_GROUP = "中共常州市人民政府外事办公室党组"
INSTITUTIONAL_DOCUMENTS = [
    {
        "title": "中共常州市人民政府外事办公室党组全面从严治党主体责任清单",
        "kind": "responsibility_list",
        "issuer": OFFICE_PARTY_GROUP,
        "adopted_on": date(2021, 3, 5),
        "summary": "明确办党组全面从严治党主体责任。",
    },
    {
        "title": "常州市人民政府外事办公室2021年法治政府工作要点",
        "kind": "key_points",
        "issuer": OFFICE,
        "adopted_on": date(2021, 3, 15),
        "summary": "用制度规范法治政府建设(“补短板、强弱项”专项工作)。",
    },
    {
        "title": "常州市人民政府外事办公室2021年度普法工作计划",
        "kind": "legal_education_plan",
        "issuer": OFFICE,
        "adopted_on": date(2021, 3, 15),
        "summary": "年度学法普法安排。",
    },
    {
        "title": "常州市人民政府外事办公室重大行政决策程序实施细则",
        "kind": "procedure",
        "issuer": OFFICE,
        "adopted_on": date(2021, 6, 18),
        "summary": "重大行政决策的程序规定。",
    },
    {
        "title": "常州市人民政府外事办公室法律顾问管理办法",
        "kind": "management_measures",
        "issuer": OFFICE,
        "adopted_on": date(2021, 6, 18),
        "summary": "法律顾问的聘用、职责和管理。",
    },
    {
        "title": "党组议事规则",
        "kind": "rules_of_procedure",
        "issuer": OFFICE_PARTY_GROUP,
        "adopted_on": None,
        "summary": "重大事项按照外办《党组议事规则》集体决策(2022年工作要点第4项)。",
    },
    {
        "title": "常州市新冠肺炎疫情防控指挥部工作手册",
        "kind": "handbook",
        "issuer": "常州市新冠肺炎疫情防控指挥部",
        "adopted_on": date(2021, 3, 15),
        "summary": "市外办参与编写。",
    },
    {
        "title": "关于在常外籍人士和港澳人士接种新冠肺炎疫苗的通知",
        "kind": "notice",
        "issuer": "常州市人民政府外事办公室、常州市卫生健康委员会",
        "adopted_on": date(2021, 4, 2),
        "summary": "与市卫健委联合下发,近2000人接种了疫苗。",
    },
    {
        "title": "江苏省青年友好使者管理办法",
        "kind": "interpretation",
        "issuer": "",
        "adopted_on": date(2021, 9, 10),
        "summary": "市外办在市政府网站对该办法作了解读。",
    },
]

LEGAL_ENGAGEMENT = {
    "law_firm": TIANGANG,
    "agreement_signed_on": date(2021, 1, 15),
    "start_on": date(2021, 1, 15),
    "end_on": date(2022, 1, 14),
    "lawyers": ["时轶", "钱七", "孙八"],
    "scope": "为市外办提供法律服务,定期举办各类法律讲座。",
    "is_demo": False,
}
# (kind, date, description, is_demo)
LEGAL_SERVICES = [
    ("lecture", date(2021, 5, 20), "时轶律师作《中华人民共和国民法典》讲座", False),
    ("review", date(2021, 9, 8), "审查涉外合作协议文本(演示数据)", True),
]

# (title, short_title, kind, issuer)
LAWS = {
    "宪法": ("中华人民共和国宪法", "宪法", "constitution", "全国人民代表大会"),
    "党章": ("中国共产党章程", "", "party_rule", "中国共产党全国代表大会"),
    "保密法": ("中华人民共和国保守国家秘密法", "保密法", "law", "全国人民代表大会常务委员会"),
    "定密规定": ("国家秘密定密管理暂行规定", "", "department_rule", "国家保密局"),
    "营商环境": ("优化营商环境条例", "", "regulation", "国务院"),
    "档案法": ("中华人民共和国档案法", "档案法", "law", "全国人民代表大会常务委员会"),
    "民法典": ("中华人民共和国民法典", "", "law", "全国人民代表大会"),
    "国家安全法": (
        "中华人民共和国国家安全法",
        "国家安全法",
        "law",
        "全国人民代表大会常务委员会",
    ),
    "反间谍法": ("中华人民共和国反间谍法", "反间谍法", "law", "全国人民代表大会常务委员会"),
    "根本遵循": ("法治政府建设的根本遵循", "", "article", ""),
    "苏港澳": (
        "关于深化苏港澳多领域合作若干措施",
        "",
        "local_rule",
        "中共江苏省委、江苏省人民政府",
    ),
    "习近平法治思想": ("习近平法治思想", "", "other", ""),
}

ALL_STAFF = "市外办全体人员"
PROVINCIAL_FAO = "江苏省人民政府外事办公室"
STUDY_SESSIONS = [
    # Section 一: four center-group sessions covering the four documents named.
    {
        "date": date(2021, 3, 26),
        "title": "党组理论学习中心组学法:《中国共产党章程》",
        "kind": "center_group",
        "laws": ["党章"],
        "organiser": OFFICE_PARTY_GROUP,
        "audience": "办党组理论学习中心组成员",
    },
    {
        "date": date(2021, 5, 28),
        "title": "党组理论学习中心组学法:《保密法》",
        "kind": "center_group",
        "laws": ["保密法"],
        "organiser": OFFICE_PARTY_GROUP,
        "audience": "办党组理论学习中心组成员",
    },
    {
        "date": date(2021, 8, 27),
        "title": "党组理论学习中心组学法:《国家秘密定密管理暂行规定》",
        "kind": "center_group",
        "laws": ["定密规定"],
        "organiser": OFFICE_PARTY_GROUP,
        "audience": "办党组理论学习中心组成员",
    },
    {
        "date": date(2021, 11, 26),
        "title": "党组理论学习中心组学法:《优化营商环境条例》",
        "kind": "center_group",
        "laws": ["营商环境"],
        "organiser": OFFICE_PARTY_GROUP,
        "audience": "办党组理论学习中心组成员",
    },
    {
        "date": date(2021, 9, 15),
        "title": "全市第9期“推进美丽常州建设”(法治政府建设)专题培训班",
        "kind": "training",
        "audience": "分管法治政府建设的党组成员",
        "participants": 1,
        "summary": "分管党组成员参加了全市第9期“推进美丽常州建设”(法治政府建设)专题培训班学习。",
    },
    {
        "date": date(2021, 10, 21),
        "title": "全省外事系统依法行政专场培训班",
        "kind": "training",
        "organiser": PROVINCIAL_FAO,
        "partners": OFFICE,
        "location": "常州",
        "summary": (
            "省外办在我市举办、市外办承办。办主要领导作了交流发言,介绍了常州市外事系统"
            "法治政府建设工作的经验和做法。"
        ),
    },
    # Section 五.
    {
        "date": date(2021, 6, 9),
        "title": "《档案法》讲座",
        "kind": "lecture",
        "laws": ["档案法"],
        "speaker": "张步东",
        "organiser": OFFICE,
        "audience": ALL_STAFF,
        "summary": "邀请市档案馆副馆长张步东作《档案法》讲座。",
    },
    {
        "date": date(2021, 5, 20),
        "title": "《中华人民共和国民法典》讲座",
        "kind": "lecture",
        "laws": ["民法典"],
        "speaker": "时轶",
        "organiser": OFFICE,
        "audience": ALL_STAFF,
        "summary": "邀请我办法律顾问时轶律师作《中华人民共和国民法典》讲座。",
    },
    {
        "date": date(2021, 7, 15),
        "title": "观看法庭庭审直播",
        "kind": "court_hearing",
        "mode": "online",
        "organiser": OFFICE,
        "audience": ALL_STAFF,
    },
    {
        "date": date(2021, 3, 10),
        "title": "学习《法治政府建设的根本遵循》等文章",
        "kind": "self_study",
        "laws": ["根本遵循"],
        "organiser": OFFICE,
        "audience": ALL_STAFF,
    },
    {
        "date": date(2021, 2, 25),
        "title": "习近平法治思想网络学习",
        "kind": "online_quiz",
        "mode": "online",
        "laws": ["习近平法治思想"],
        "audience": ALL_STAFF,
    },
    {
        "date": date(2021, 4, 15),
        "title": "4.15全民国家安全教育日法律知识竞赛",
        "kind": "online_quiz",
        "mode": "online",
        "laws": ["国家安全法"],
        "audience": ALL_STAFF,
    },
    {
        "date": date(2021, 5, 25),
        "title": "《中华人民共和国民法典》有奖竞答",
        "kind": "online_quiz",
        "mode": "online",
        "laws": ["民法典"],
        "audience": ALL_STAFF,
    },
    {
        "date": date(2021, 6, 20),
        "title": "“学党章学党史学民法”网上答题",
        "kind": "online_quiz",
        "mode": "online",
        "laws": ["党章", "民法典"],
        "audience": ALL_STAFF,
    },
    {
        "date": date(2021, 8, 10),
        "title": "“尊法守法,携手筑梦”服务职工网络学法考法活动",
        "kind": "online_quiz",
        "mode": "online",
        "audience": ALL_STAFF,
    },
    {
        "date": date(2021, 12, 4),
        "title": "“宪法宣传月”暨“法治宣传月”“七个一”活动",
        "kind": "publicity",
        "laws": ["宪法"],
        "organiser": OFFICE,
        "audience": ALL_STAFF,
        "summary": "在全市“宪法宣传月”暨“法治宣传月”期间举办“七个一”活动。",
    },
    {
        "date": date(2021, 11, 18),
        "title": "“江苏省港澳投资企业法律服务月”常州专场活动",
        "kind": "joint_service",
        "laws": ["苏港澳"],
        "organiser": OFFICE,
        "partners": "江苏省人民政府港澳事务办公室、南京仲裁委员会",
        "audience": "在常港澳投资企业",
        "summary": (
            "联合省港澳办、南京仲裁委举办,解读省委、省政府《关于深化苏港澳多领域合作若干措施》"
            "等政策法规。"
        ),
    },
    {
        "date": date(2021, 4, 22),
        "title": "因公出国(境)会审小组成员和行风监督员政策学习及《国家安全法》《反间谍法》培训",
        "kind": "training",
        "laws": ["国家安全法", "反间谍法"],
        "organiser": OFFICE,
        "audience": "全市因公出国(境)会审小组成员和行风监督员",
    },
    {
        "date": date(2021, 8, 5),
        "title": "“常州市疫情防控专项培训”网络视频课程",
        "kind": "training",
        "mode": "online",
        "audience": ALL_STAFF,
        "summary": "组织全体人员观看“常州市疫情防控专项培训”网络视频课程。",
    },
]

# WorkRecords of 2021: theme -> [(title, narrative, quantities)]; quantities are
# (key, label, value, unit, is_lower_bound). Keys are documented in __init__.py.
WORK_RECORDS = {
    "leadership": [
        (
            "党组领导法治政府建设",
            "外办党组领导法治政府建设工作,党组书记为履行推进法治建设第一责任人。",
            [],
        ),
        (
            "明确法治政府建设职能处室",
            "明确出国来华和行政服务处为职能处室,落实综合考核责任。",
            [],
        ),
        (
            "全省外事系统依法行政专场培训班交流发言",
            "在由市外办承办的全省外事系统依法行政专场培训班上,办主要领导作了交流发言,"
            "介绍了常州市外事系统法治政府建设工作的经验和做法。",
            [],
        ),
        (
            "创优营商环境",
            "积极创优营商环境,提升教育开放度和国际化医疗服务水平,服务中以常州创新园和"
            "中德(常州)创新园建设。",
            [],
        ),
        (
            "邀请外籍人士来常服务复工复产",
            "为我市企业复工复产、恢复国际产业链供应链,邀请外籍人士来常进行管理和技术服务工作。",
            [],
        ),
    ],
    "institutions": [
        (
            "“补短板、强弱项”专项工作",
            "市外办积极开展“补短板、强弱项”专项工作,用制度规范法治政府建设。",
            [],
        ),
        (
            "“法治园地”专栏",
            "在办公楼层走廊开辟了“法治园地”专栏,作为学法普法阵地。",
            [],
        ),
    ],
    "risk": [
        (
            "海外工作专班和转运工作专班组长单位",
            "外办被市疫情防控指挥部确定为海外工作专班和转运工作专班组长单位。",
            [],
        ),
        (
            "来常境外人员转运工作",
            "按照市防控指挥部的统一安排,全年共派遣{transfer_batches}{transfer_person_times}赴昆山参加"
            "来常境外人员的转运工作,{duty_person_times}参加值班值守;全年转运{people_transferred},"
            "实现了转运工作“零投诉、零感染、零事故”。",
            [
                ("transfer_batches", "派遣批次", 20, "批", False),
                ("transfer_person_times", "派遣人次", 80, "人次", False),
                ("duty_person_times", "值班值守人次", 15, "人次", False),
                ("people_transferred", "全年转运人数", 3000, "人", True),
                ("complaints", "投诉", 0, "件", False),
                ("infections", "感染", 0, "例", False),
                ("accidents", "事故", 0, "起", False),
            ],
        ),
        (
            "涉外疫情防控管理",
            "强化隔离场所管控、涉外活动管理、邀请外国人来华管理,完善新冠肺炎疫情应急机制。",
            [],
        ),
        (
            "在常外籍人士和港澳人士接种新冠疫苗",
            "与市卫健委联合下发《关于在常外籍人士和港澳人士接种新冠肺炎疫苗的通知》,"
            "近{vaccinated}接种了疫苗。",
            [("vaccinated", "接种疫苗人数(近)", 2000, "人", False)],
        ),
    ],
    "supervision": [
        (
            "强化出访团组管理",
            "强化出访团组管理,开展行前教育,对全市因公出境团组进行“事中、事后”检查,"
            "发挥行风监督员作用,督促团组严格遵守因公出国(境)政策。",
            [],
        ),
        (
            "深化政务公开",
            "深化政务公开,相关信息按规定在网站公开,接受监督。",
            [],
        ),
    ],
    "learning": [
        (
            "落实学法制度",
            "市外办一直重视学法工作,认真落实学法制度,加强依法行政能力建设。",
            [],
        ),
    ],
}

DEMO_PROPOSER = "市政协委员(演示数据)"
PROPOSALS = [
    {
        "kind": "cppcc",
        "year": 2021,
        "number": "0209",
        "title": "关于加大“荣誉市民”评选力度,助推“五大明星城”建设的建议",
        "proposer": DEMO_PROPOSER,
        "role": "lead",
        "assigned_on": date(2021, 3, 10),
        "replied_on": date(2021, 5, 28),
        "reply_text": "已答复(演示数据):将进一步做好“荣誉市民”评选推荐工作。",
        "result_class": "B",
        "satisfaction": "satisfied",
        "is_demo": True,
    },
    {
        "kind": "cppcc",
        "year": 2021,
        "number": "0303",
        "title": "关于将西太湖国际社区打造成标杆性国际社区的建议",
        "proposer": DEMO_PROPOSER,
        "role": "lead",
        "assigned_on": date(2021, 3, 10),
        "replied_on": date(2021, 6, 2),
        "reply_text": "已答复(演示数据):会同相关部门推进国际社区建设。",
        "result_class": "B",
        "satisfaction": "satisfied",
        "is_demo": True,
    },
]

HONORARY_NOTICE = {
    "batch": 18,
    "title": "拟授予第十八批“常州市荣誉市民”称号人选公示",
    "body": (
        "根据常州市荣誉市民称号授予办法,现将拟授予第十八批“常州市荣誉市民”称号的7名外籍人士"
        "予以公示,征求全社会意见。(演示数据:候选人姓名、单位和事迹均为虚构。)"
    ),
    "notice_start": date(2021, 9, 13),
    "notice_end": date(2021, 9, 22),
    "contact": "书面意见请寄送常州市人民政府外事办公室(演示数据)",
    "is_demo": True,
}
# (name, chinese_name, nationality, employer, post, years_in_city, contribution)
NOMINEES = [
    (
        "Max Mustermann",
        "马克斯·穆斯特曼",
        "德国",
        "常州演示精密机械有限公司",
        "总经理",
        8,
        "推动中德(常州)创新园项目落地(虚构)。",
    ),
    (
        "Erika Mustermann",
        "埃丽卡·穆斯特曼",
        "德国",
        "常州演示汽车零部件有限公司",
        "技术总监",
        6,
        "培养本地技术人才百余名(虚构)。",
    ),
    (
        "John Doe",
        "约翰·多伊",
        "美国",
        "常州演示医疗器械有限公司",
        "首席执行官",
        10,
        "疫情期间捐赠防疫物资(虚构)。",
    ),
    (
        "Fred Bloggs",
        "弗雷德·布洛格斯",
        "英国",
        "常州演示国际学校",
        "校长",
        7,
        "提升我市教育开放度(虚构)。",
    ),
    (
        "Taro Yamada",
        "山田太郎",
        "日本",
        "常州演示电子有限公司",
        "董事长",
        12,
        "持续扩大在常投资(虚构)。",
    ),
    (
        "Jan Modaal",
        "扬·莫达尔",
        "荷兰",
        "常州演示新能源科技有限公司",
        "研发总监",
        5,
        "推动新能源技术合作(虚构)。",
    ),
    (
        "Israel Israeli",
        "伊斯雷尔·伊斯雷利",
        "以色列",
        "常州演示创新科技有限公司",
        "创始人",
        4,
        "服务中以常州创新园建设(虚构)。",
    ),
]

COUNTRIES = [("德国", "europe"), ("以色列", "asia")]

# (name, unit, post, appointed_on, term_end_on)
INTEGRITY_SUPERVISORS = [
    ("张三", "常州市某区纪委监委(演示数据)", "行风监督员", date(2021, 1, 1), date(2023, 12, 31)),
    ("李四", "常州市某企业(演示数据)", "行风监督员", date(2021, 1, 1), date(2023, 12, 31)),
]

DELEGATIONS = [
    {
        "name": "赴德国经贸交流团(演示数据)",
        "unit": "常州市某区商务局(演示数据)",
        "leader": "陈某",
        "approval_number": "演示-2021-001",
        "departure_on": date(2021, 11, 8),
        "return_on": date(2021, 11, 12),
        "tasks": "洽谈中德(常州)创新园合作项目。",
        "pre_notice_start": date(2021, 10, 25),
        "pre_notice_end": date(2021, 10, 29),
        "education_on": date(2021, 11, 1),
        "in_trip_checked_on": date(2021, 11, 10),
        "in_trip_findings": "行程与批件一致,未发现违规。",
        "post_trip_checked_on": date(2021, 11, 26),
        "post_trip_findings": "出访报告和证照按时报回、交回。",
        "report_returned_on": date(2021, 11, 19),
        "passports_returned_on": date(2021, 11, 15),
        "post_notice_on": date(2021, 11, 22),
        "supervisor": "张三",
        "countries": ["德国"],
        "members": [("陈某", "团长"), ("林某", "科长"), ("黄某", "翻译")],
    },
    {
        "name": "赴以色列科技合作交流团(演示数据)",
        "unit": "常州市某园区管委会(演示数据)",
        "leader": "吴某",
        "approval_number": "演示-2021-002",
        "departure_on": date(2021, 12, 6),
        "return_on": date(2021, 12, 10),
        "tasks": "服务中以常州创新园建设,开展科技合作交流。",
        "pre_notice_start": date(2021, 11, 22),
        "pre_notice_end": date(2021, 11, 26),
        "education_on": date(2021, 11, 30),
        "in_trip_checked_on": date(2021, 12, 8),
        "in_trip_findings": "未发现擅自变更行程。",
        "post_trip_checked_on": date(2021, 12, 24),
        "post_trip_findings": "出访报告内容充实,报回及时。",
        "report_returned_on": date(2021, 12, 17),
        "passports_returned_on": date(2021, 12, 14),
        "post_notice_on": date(2021, 12, 20),
        "supervisor": "李四",
        "countries": ["以色列"],
        "members": [("吴某", "团长"), ("郑某", "工程师")],
    },
]

PLAN_2022 = {
    "year": 2022,
    "title": "2022年法治政府建设工作安排",
    "preamble": (
        "2022年,市外办以习近平法治思想为指导,深入学习习近平法治思想,全面贯彻落实党中央文件精神,"
        "紧紧围绕常州市“532”发展战略,全力抓好法治政府建设工作。"
    ),
}
# (section title, [(task number, full text without the number)])
PLAN_2022_SECTIONS = [
    (
        "依法全面履行政府职能",
        [
            (
                1,
                "创优营商环境。奋力打造全国营商环境最优城市,推进政务诚信建设。为企业申办APEC商务"
                "旅行卡、申请外国人来华邀请函,持续解决企业的难点痛点堵点。持续提升教育开放度和国际化"
                "医疗服务水平。",
            ),
            (
                2,
                "依法防控重大风险。依法常态化抓好新冠肺炎疫情防控,强化隔离场所管控、涉外活动管理、"
                "邀请外国人来华管理,防止疫情反弹,强化涉外突发事件的应急联络机制管理。",
            ),
        ],
    ),
    (
        "完善依法行政制度体系",
        [(3, "加强对文件、合同的规范管理,做到“应备必备、应审必审、有错必纠”。")],
    ),
    (
        "推进依法科学民主决策",
        [
            (
                4,
                "落实重大决策程序。对重大事项,按照外办《党组议事规则》集体决策。面向社会的公共决策,"
                "应当向社会公开。",
            ),
            (
                5,
                "完善重大行政决策合作机制。落实重大行政决策公众参与机制,依法采取公众参与方式听取意见,"
                "对专业性、技术学强的决策事项,应当听取专业人士及外办常年法律顾问的意见。",
            ),
        ],
    ),
    (
        "强化行政权力制约监督",
        [
            (
                6,
                "全面深化政务公开。健全政府信息公开制度,对外事不涉及秘密的内容应当公开的政府信息"
                "及时公开。",
            ),
            (
                7,
                "加强党内监督、人大监督、民主监督。重大事项及时向党委请示报告。及时研究处理人大代表、"
                "政协委员提出的意见和建议。",
            ),
            (
                8,
                "加强行政监督。依法报备政府规章和规范性文件,加强对内部权力的制约。加强对因公出国(境)"
                "团组的“事前、事中、事后”监督检查,对出访团组开展绩效评估,发挥因公出国(境)行风监督员"
                "的作用。",
            ),
            (
                9,
                "加强社会监督、舆论监督。充分发挥政务咨询投诉举报平台、外办因公临时出国违规违纪举办"
                "电话85683342的作用,对网络舆情进行收集、研判、处置。",
            ),
        ],
    ),
    (
        "落实法治政府建设保障",
        [
            (
                10,
                "切实履行推进法治政府建设第一责任人职责。法治政府建设纳入外办发展总体和年度工作计划。",
            ),
            (
                11,
                "加强依法行政能力建设。坚持普法学法,把相关党内规章制度、法律法规纳入外办全年度学法"
                "计划,抓住“关键少数”,深入推进领导干部学法常态化。积极发挥法律顾问作用,定期举办法律"
                "讲座。",
            ),
            (
                12,
                "强化法治政府建设工作落实。外办依法行政工作领导小组加强对法治政府建设的监督,督促做好"
                "法治政府建设,履行法治责任。",
            ),
        ],
    ),
]

SEED_DISCLOSURE = {
    "title": "常州市人民政府外事办公室2021年度法治政府建设情况报告",
    "index_number": "014109568/2022-00012",
    "category": "other",
    "method": "proactive",
    "document_number": "",
    "publisher": "市外事办",
    "generated_on": date(2022, 3, 21),
    "published_on": date(2022, 3, 22),
    "repealed_on": None,
    "status": "published",
    "summary": "常州市人民政府外事办公室2021年度法治政府建设情况报告",
}
SEED_INDEX_YEAR = 2022
SEED_INDEX_SERIAL = 12

# (username, role group, is_superuser)
USERS = [
    ("luru", "录入员", False),
    ("shenhe", "审核人", False),
    ("lingdao", "领导", False),
    ("admin", "管理员", True),
]
