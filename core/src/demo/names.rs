//! The words demo data is made of: names of people and companies, places
//! with their phone area codes, industries, titles and the lines reps write.
//! Pinyin travels with the characters so emails and web addresses can be
//! spelled from a name.

use crate::model::DecisionRole;

/// Family names, most common first (weighted by rank), with pinyin.
pub const SURNAMES: &[(&str, &str)] = &[
    ("王", "wang"),
    ("李", "li"),
    ("张", "zhang"),
    ("刘", "liu"),
    ("陈", "chen"),
    ("杨", "yang"),
    ("黄", "huang"),
    ("赵", "zhao"),
    ("吴", "wu"),
    ("周", "zhou"),
    ("徐", "xu"),
    ("孙", "sun"),
    ("马", "ma"),
    ("朱", "zhu"),
    ("胡", "hu"),
    ("郭", "guo"),
    ("何", "he"),
    ("高", "gao"),
    ("林", "lin"),
    ("罗", "luo"),
    ("郑", "zheng"),
    ("梁", "liang"),
    ("谢", "xie"),
    ("宋", "song"),
    ("唐", "tang"),
    ("许", "xu"),
    ("韩", "han"),
    ("冯", "feng"),
    ("邓", "deng"),
    ("曹", "cao"),
    ("彭", "peng"),
    ("曾", "zeng"),
    ("肖", "xiao"),
    ("田", "tian"),
    ("董", "dong"),
    ("袁", "yuan"),
    ("潘", "pan"),
    ("于", "yu"),
    ("蒋", "jiang"),
    ("蔡", "cai"),
    ("余", "yu"),
    ("杜", "du"),
    ("叶", "ye"),
    ("程", "cheng"),
    ("苏", "su"),
    ("魏", "wei"),
    ("吕", "lv"),
    ("丁", "ding"),
    ("任", "ren"),
    ("沈", "shen"),
    ("姚", "yao"),
    ("卢", "lu"),
    ("姜", "jiang"),
    ("崔", "cui"),
    ("钟", "zhong"),
    ("谭", "tan"),
    ("陆", "lu"),
    ("汪", "wang"),
    ("范", "fan"),
    ("金", "jin"),
    ("石", "shi"),
    ("廖", "liao"),
    ("贾", "jia"),
    ("夏", "xia"),
    ("韦", "wei"),
    ("方", "fang"),
    ("白", "bai"),
    ("邹", "zou"),
    ("孟", "meng"),
    ("熊", "xiong"),
    ("秦", "qin"),
    ("邱", "qiu"),
    ("江", "jiang"),
    ("尹", "yin"),
    ("薛", "xue"),
    ("闫", "yan"),
    ("段", "duan"),
    ("雷", "lei"),
    ("侯", "hou"),
    ("龙", "long"),
    ("史", "shi"),
    ("陶", "tao"),
    ("黎", "li"),
    ("贺", "he"),
    ("顾", "gu"),
    ("毛", "mao"),
    ("郝", "hao"),
    ("龚", "gong"),
    ("邵", "shao"),
    ("万", "wan"),
    ("钱", "qian"),
    ("严", "yan"),
    ("武", "wu"),
    ("戴", "dai"),
    ("孔", "kong"),
    ("汤", "tang"),
    ("欧阳", "ouyang"),
    ("司马", "sima"),
];

/// Characters of given names that lean male.
pub const GIVEN_MALE: &[(&str, &str)] = &[
    ("伟", "wei"),
    ("强", "qiang"),
    ("磊", "lei"),
    ("军", "jun"),
    ("勇", "yong"),
    ("杰", "jie"),
    ("涛", "tao"),
    ("斌", "bin"),
    ("超", "chao"),
    ("明", "ming"),
    ("刚", "gang"),
    ("平", "ping"),
    ("辉", "hui"),
    ("鹏", "peng"),
    ("华", "hua"),
    ("飞", "fei"),
    ("鑫", "xin"),
    ("波", "bo"),
    ("宇", "yu"),
    ("浩", "hao"),
    ("凯", "kai"),
    ("健", "jian"),
    ("俊", "jun"),
    ("帆", "fan"),
    ("旭", "xu"),
    ("宁", "ning"),
    ("龙", "long"),
    ("建", "jian"),
    ("国", "guo"),
    ("志", "zhi"),
    ("海", "hai"),
    ("文", "wen"),
    ("东", "dong"),
    ("峰", "feng"),
    ("晨", "chen"),
    ("博", "bo"),
    ("毅", "yi"),
    ("亮", "liang"),
    ("成", "cheng"),
    ("康", "kang"),
    ("庆", "qing"),
    ("德", "de"),
    ("栋", "dong"),
    ("振", "zhen"),
    ("嘉", "jia"),
    ("子", "zi"),
    ("轩", "xuan"),
    ("睿", "rui"),
    ("哲", "zhe"),
    ("阳", "yang"),
];

/// Characters of given names that lean female.
pub const GIVEN_FEMALE: &[(&str, &str)] = &[
    ("芳", "fang"),
    ("娜", "na"),
    ("敏", "min"),
    ("静", "jing"),
    ("丽", "li"),
    ("艳", "yan"),
    ("娟", "juan"),
    ("霞", "xia"),
    ("秀", "xiu"),
    ("玲", "ling"),
    ("燕", "yan"),
    ("红", "hong"),
    ("婷", "ting"),
    ("雪", "xue"),
    ("琳", "lin"),
    ("慧", "hui"),
    ("颖", "ying"),
    ("倩", "qian"),
    ("洁", "jie"),
    ("晶", "jing"),
    ("欣", "xin"),
    ("璐", "lu"),
    ("佳", "jia"),
    ("梅", "mei"),
    ("莉", "li"),
    ("萍", "ping"),
    ("蕾", "lei"),
    ("薇", "wei"),
    ("楠", "nan"),
    ("怡", "yi"),
    ("雯", "wen"),
    ("丹", "dan"),
    ("琪", "qi"),
    ("悦", "yue"),
    ("月", "yue"),
    ("露", "lu"),
    ("思", "si"),
    ("诗", "shi"),
    ("梦", "meng"),
    ("晓", "xiao"),
    ("春", "chun"),
    ("玉", "yu"),
    ("兰", "lan"),
];

pub const ENGLISH_FIRST: &[&str] = &[
    "David", "Michael", "James", "John", "Robert", "William", "Thomas", "Daniel", "Peter", "Mark",
    "Paul", "Kevin", "Jason", "Eric", "Steven", "Brian", "Anna", "Emma", "Sarah", "Laura", "Linda",
    "Susan", "Jennifer", "Lisa", "Emily", "Julia", "Sophie", "Olivia", "Grace", "Helen", "Tony",
    "Frank", "Vincent", "Cathy", "Vivian", "Sandy",
];

pub const ENGLISH_LAST: &[&str] = &[
    "Smith", "Johnson", "Miller", "Brown", "Wilson", "Taylor", "Anderson", "Moore", "Martin",
    "Clark", "Lewis", "Walker", "Hall", "Young", "King", "Wright", "Scott", "Green", "Baker",
    "Schmidt", "Weber", "Wagner", "Becker", "Tanaka", "Suzuki", "Kim", "Park", "Nguyen", "Wong",
    "Chan", "Lee", "Ng", "Li", "Wang", "Zhang", "Chen",
];

/// Sales regions; each large-size team covers one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Area {
    East,
    South,
    North,
    Central,
    West,
}

impl Area {
    pub const ALL: [Area; 5] = [
        Area::East,
        Area::South,
        Area::North,
        Area::Central,
        Area::West,
    ];

    /// The team that covers the area (a team is a name on users).
    pub fn team(self) -> &'static str {
        match self {
            Area::East => "华东区",
            Area::South => "华南区",
            Area::North => "华北区",
            Area::Central => "华中区",
            Area::West => "西部区",
        }
    }
}

/// A city customers are in.
pub struct City {
    pub province: &'static str,
    pub name: &'static str,
    pub pinyin: &'static str,
    /// The long-distance prefix, with its leading 0.
    pub area_code: &'static str,
    /// How many customers come from here, relatively.
    pub weight: u32,
    pub area: Area,
}

const fn city(
    province: &'static str,
    name: &'static str,
    pinyin: &'static str,
    area_code: &'static str,
    weight: u32,
    area: Area,
) -> City {
    City {
        province,
        name,
        pinyin,
        area_code,
        weight,
        area,
    }
}

pub const CITIES: &[City] = &[
    city("上海", "上海", "shanghai", "021", 30, Area::East),
    city("江苏", "南京", "nanjing", "025", 10, Area::East),
    city("江苏", "苏州", "suzhou", "0512", 18, Area::East),
    city("江苏", "无锡", "wuxi", "0510", 9, Area::East),
    city("江苏", "常州", "changzhou", "0519", 7, Area::East),
    city("江苏", "南通", "nantong", "0513", 5, Area::East),
    city("江苏", "徐州", "xuzhou", "0516", 3, Area::East),
    city("浙江", "杭州", "hangzhou", "0571", 15, Area::East),
    city("浙江", "宁波", "ningbo", "0574", 10, Area::East),
    city("浙江", "温州", "wenzhou", "0577", 6, Area::East),
    city("浙江", "绍兴", "shaoxing", "0575", 4, Area::East),
    city("浙江", "嘉兴", "jiaxing", "0573", 4, Area::East),
    city("浙江", "台州", "taizhou", "0576", 4, Area::East),
    city("安徽", "合肥", "hefei", "0551", 6, Area::East),
    city("安徽", "芜湖", "wuhu", "0553", 2, Area::East),
    city("山东", "济南", "jinan", "0531", 6, Area::East),
    city("山东", "青岛", "qingdao", "0532", 8, Area::East),
    city("山东", "烟台", "yantai", "0535", 3, Area::East),
    city("山东", "潍坊", "weifang", "0536", 3, Area::East),
    city("福建", "福州", "fuzhou", "0591", 4, Area::East),
    city("福建", "厦门", "xiamen", "0592", 5, Area::East),
    city("福建", "泉州", "quanzhou", "0595", 4, Area::East),
    city("广东", "广州", "guangzhou", "020", 20, Area::South),
    city("广东", "深圳", "shenzhen", "0755", 24, Area::South),
    city("广东", "东莞", "dongguan", "0769", 12, Area::South),
    city("广东", "佛山", "foshan", "0757", 10, Area::South),
    city("广东", "珠海", "zhuhai", "0756", 4, Area::South),
    city("广东", "中山", "zhongshan", "0760", 4, Area::South),
    city("广东", "惠州", "huizhou", "0752", 4, Area::South),
    city("广东", "汕头", "shantou", "0754", 2, Area::South),
    city("广西", "南宁", "nanning", "0771", 3, Area::South),
    city("广西", "柳州", "liuzhou", "0772", 2, Area::South),
    city("海南", "海口", "haikou", "0898", 1, Area::South),
    city("北京", "北京", "beijing", "010", 25, Area::North),
    city("天津", "天津", "tianjin", "022", 8, Area::North),
    city("河北", "石家庄", "shijiazhuang", "0311", 4, Area::North),
    city("河北", "唐山", "tangshan", "0315", 3, Area::North),
    city("河北", "保定", "baoding", "0312", 2, Area::North),
    city("山西", "太原", "taiyuan", "0351", 3, Area::North),
    city("辽宁", "沈阳", "shenyang", "024", 4, Area::North),
    city("辽宁", "大连", "dalian", "0411", 4, Area::North),
    city("吉林", "长春", "changchun", "0431", 2, Area::North),
    city("黑龙江", "哈尔滨", "haerbin", "0451", 2, Area::North),
    city("内蒙古", "呼和浩特", "huhehaote", "0471", 1, Area::North),
    city("湖北", "武汉", "wuhan", "027", 10, Area::Central),
    city("湖北", "襄阳", "xiangyang", "0710", 2, Area::Central),
    city("湖北", "宜昌", "yichang", "0717", 2, Area::Central),
    city("湖南", "长沙", "changsha", "0731", 8, Area::Central),
    city("湖南", "株洲", "zhuzhou", "0731", 2, Area::Central),
    city("河南", "郑州", "zhengzhou", "0371", 8, Area::Central),
    city("河南", "洛阳", "luoyang", "0379", 3, Area::Central),
    city("江西", "南昌", "nanchang", "0791", 4, Area::Central),
    city("四川", "成都", "chengdu", "028", 12, Area::West),
    city("四川", "绵阳", "mianyang", "0816", 2, Area::West),
    city("重庆", "重庆", "chongqing", "023", 9, Area::West),
    city("云南", "昆明", "kunming", "0871", 3, Area::West),
    city("贵州", "贵阳", "guiyang", "0851", 2, Area::West),
    city("陕西", "西安", "xian", "029", 7, Area::West),
    city("甘肃", "兰州", "lanzhou", "0931", 1, Area::West),
    city("新疆", "乌鲁木齐", "wulumuqi", "0991", 1, Area::West),
];

impl City {
    /// The region field: province and city, as a Chinese address starts.
    pub fn region(&self) -> String {
        if self.province == self.name {
            format!("{}市", self.name)
        } else {
            format!("{}省{}市", self.province, self.name)
                .replace("广西省", "广西")
                .replace("内蒙古省", "内蒙古")
                .replace("新疆省", "新疆")
        }
    }
}

pub const DISTRICTS: &[&str] = &[
    "高新区",
    "经济技术开发区",
    "工业园区",
    "新区",
    "滨江区",
    "城南区",
    "城北区",
    "临港开发区",
];

pub const ROADS: &[&str] = &[
    "建设路",
    "人民路",
    "中山路",
    "解放路",
    "长江路",
    "科技大道",
    "工业大道",
    "创业路",
    "发展大道",
    "新华路",
    "金融街",
    "学府路",
];

/// Characters for company brand names, with pinyin.
pub const BRAND_CHARS: &[(&str, &str)] = &[
    ("华", "hua"),
    ("中", "zhong"),
    ("恒", "heng"),
    ("泰", "tai"),
    ("盛", "sheng"),
    ("鑫", "xin"),
    ("瑞", "rui"),
    ("德", "de"),
    ("宏", "hong"),
    ("达", "da"),
    ("信", "xin"),
    ("通", "tong"),
    ("联", "lian"),
    ("创", "chuang"),
    ("源", "yuan"),
    ("天", "tian"),
    ("海", "hai"),
    ("金", "jin"),
    ("博", "bo"),
    ("远", "yuan"),
    ("新", "xin"),
    ("嘉", "jia"),
    ("丰", "feng"),
    ("隆", "long"),
    ("昌", "chang"),
    ("兴", "xing"),
    ("安", "an"),
    ("康", "kang"),
    ("佳", "jia"),
    ("明", "ming"),
    ("辉", "hui"),
    ("腾", "teng"),
    ("飞", "fei"),
    ("宇", "yu"),
    ("星", "xing"),
    ("辰", "chen"),
    ("光", "guang"),
    ("润", "run"),
    ("泽", "ze"),
    ("永", "yong"),
    ("祥", "xiang"),
    ("利", "li"),
    ("和", "he"),
    ("力", "li"),
    ("广", "guang"),
    ("益", "yi"),
    ("正", "zheng"),
    ("诚", "cheng"),
    ("卓", "zhuo"),
    ("越", "yue"),
    ("东", "dong"),
    ("方", "fang"),
    ("长", "chang"),
    ("江", "jiang"),
    ("云", "yun"),
    ("峰", "feng"),
    ("锦", "jin"),
    ("凯", "kai"),
    ("皓", "hao"),
    ("启", "qi"),
    ("航", "hang"),
    ("晟", "sheng"),
    ("铭", "ming"),
    ("昊", "hao"),
    ("鼎", "ding"),
    ("拓", "tuo"),
    ("展", "zhan"),
    ("迅", "xun"),
    ("捷", "jie"),
    ("智", "zhi"),
    ("汇", "hui"),
    ("融", "rong"),
    ("誉", "yu"),
    ("尚", "shang"),
    ("弘", "hong"),
    ("立", "li"),
    ("精", "jing"),
    ("科", "ke"),
    ("川", "chuan"),
    ("盈", "ying"),
];

/// An industry: the list's value, the words company names in it end in
/// (with a short latin tag for web addresses), and its weight.
pub struct Industry {
    pub name: &'static str,
    pub words: &'static [(&'static str, &'static str)],
    pub english: &'static str,
    pub weight: u32,
}

pub const INDUSTRIES: &[Industry] = &[
    Industry {
        name: "机械制造",
        words: &[
            ("机械", "mach"),
            ("精密机械", "precision"),
            ("重工", "hi"),
            ("装备", "equip"),
            ("机电", "me"),
        ],
        english: "Machinery",
        weight: 16,
    },
    Industry {
        name: "电子电气",
        words: &[
            ("电子", "elec"),
            ("电器", "elec"),
            ("电气", "electric"),
            ("光电", "opto"),
            ("半导体", "semi"),
        ],
        english: "Electronics",
        weight: 14,
    },
    Industry {
        name: "汽车零部件",
        words: &[
            ("汽车部件", "auto"),
            ("汽配", "autoparts"),
            ("车业", "auto"),
        ],
        english: "Auto Parts",
        weight: 9,
    },
    Industry {
        name: "化工材料",
        words: &[
            ("化工", "chem"),
            ("新材料", "material"),
            ("塑胶", "plastic"),
            ("涂料", "coating"),
        ],
        english: "Materials",
        weight: 8,
    },
    Industry {
        name: "食品饮料",
        words: &[
            ("食品", "food"),
            ("饮品", "drinks"),
            ("乳业", "dairy"),
            ("粮油", "grain"),
        ],
        english: "Foods",
        weight: 7,
    },
    Industry {
        name: "纺织服装",
        words: &[
            ("纺织", "textile"),
            ("服饰", "fashion"),
            ("制衣", "garment"),
            ("家纺", "hometextile"),
        ],
        english: "Textiles",
        weight: 6,
    },
    Industry {
        name: "医疗器械",
        words: &[
            ("医疗器械", "medical"),
            ("医疗科技", "medtech"),
            ("生物科技", "bio"),
        ],
        english: "Medical",
        weight: 6,
    },
    Industry {
        name: "建筑建材",
        words: &[
            ("建材", "build"),
            ("建设工程", "construction"),
            ("装饰工程", "deco"),
            ("钢构", "steel"),
        ],
        english: "Building Materials",
        weight: 7,
    },
    Industry {
        name: "物流运输",
        words: &[
            ("物流", "logistics"),
            ("供应链", "scm"),
            ("运输", "transport"),
            ("货运代理", "freight"),
        ],
        english: "Logistics",
        weight: 6,
    },
    Industry {
        name: "软件信息",
        words: &[
            ("软件", "soft"),
            ("信息技术", "it"),
            ("网络科技", "net"),
            ("数据科技", "data"),
        ],
        english: "Technologies",
        weight: 8,
    },
    Industry {
        name: "新能源",
        words: &[
            ("新能源", "energy"),
            ("光伏", "solar"),
            ("储能", "storage"),
            ("电池", "battery"),
        ],
        english: "Energy",
        weight: 6,
    },
    Industry {
        name: "商贸批发",
        words: &[
            ("贸易", "trade"),
            ("商贸", "trading"),
            ("进出口", "impexp"),
            ("实业", "group"),
        ],
        english: "Trading",
        weight: 9,
    },
    Industry {
        name: "家具家居",
        words: &[("家具", "furniture"), ("家居", "home"), ("木业", "wood")],
        english: "Furniture",
        weight: 4,
    },
    Industry {
        name: "教育培训",
        words: &[
            ("教育科技", "edu"),
            ("培训", "training"),
            ("文化传播", "media"),
        ],
        english: "Education",
        weight: 3,
    },
    Industry {
        name: "餐饮酒店",
        words: &[("餐饮管理", "catering"), ("酒店管理", "hotel")],
        english: "Hospitality",
        weight: 3,
    },
];

/// Legal forms of Chinese companies, weighted.
pub const COMPANY_FORMS: &[(&str, u32)] = &[
    ("有限公司", 70),
    ("有限责任公司", 10),
    ("股份有限公司", 12),
    ("集团有限公司", 5),
    ("制造有限公司", 3),
];

/// First words of foreign-invested companies' names.
pub const ENGLISH_BRANDS: &[&str] = &[
    "Apex",
    "Pacific",
    "Orient",
    "Golden Bridge",
    "Evergreen",
    "Blue Ocean",
    "Summit",
    "Harbor",
    "Silverline",
    "North Star",
    "Crestwood",
    "Meridian",
    "Unity",
    "Vertex",
    "Horizon",
    "Pioneer",
    "Sterling",
    "Everbright",
    "Sino-Euro",
    "TransAsia",
    "Keller",
    "Nordic",
    "Atlas",
    "Lumen",
];

pub const ENGLISH_FORMS: &[&str] = &["Co., Ltd.", "Limited", "GmbH", "Inc.", "Pte. Ltd."];

pub const SOURCES: &[(&str, u32)] = &[
    ("展会", 18),
    ("网络推广", 16),
    ("客户介绍", 14),
    ("电话开发", 14),
    ("官网咨询", 10),
    ("老客户转介绍", 8),
    ("招投标网站", 6),
    ("B2B 平台", 6),
    ("微信公众号", 5),
    ("地推", 3),
];

/// Grades as a Chinese SME keeps them: A is the best.
pub const GRADES: &[(&str, u32)] = &[("A", 10), ("B", 30), ("C", 40), ("D", 20)];

pub const TAGS: &[&str] = &[
    "重点客户",
    "VIP",
    "老客户",
    "大客户",
    "价格敏感",
    "需回访",
    "展会",
    "国企",
    "外资",
    "上市公司",
    "高潜力",
    "长期合作",
    "渠道",
];

pub const CUSTOMER_NOTES: &[&str] = &[
    "年采购额约 500 万，设备更新周期 3 年",
    "老板重视售后服务，价格不是第一位",
    "需要开增值税专用发票，月结 60 天",
    "在展会上认识，对自动化改造感兴趣",
    "下属工厂在昆山，采购集中在总部",
    "去年被竞争对手拿走一单，今年重点突破",
    "付款及时，信誉良好",
    "决策流程长，需要集团审批",
];

pub const HOT_HINTS: &[&str] = &[
    "下周招标，重点跟进",
    "老板亲自过问，本月有望签约",
    "竞争对手在接触，尽快安排拜访",
    "预算已批，等技术方案",
    "二期项目启动在即",
];

/// Contact titles with the decision role people in them usually play.
pub const TITLES: &[(&str, Option<DecisionRole>, u32)] = &[
    ("总经理", Some(DecisionRole::DecisionMaker), 8),
    ("董事长", Some(DecisionRole::DecisionMaker), 3),
    ("副总经理", Some(DecisionRole::DecisionMaker), 5),
    ("厂长", Some(DecisionRole::DecisionMaker), 3),
    ("采购经理", Some(DecisionRole::Influencer), 14),
    ("采购专员", Some(DecisionRole::Gatekeeper), 8),
    ("技术总监", Some(DecisionRole::Influencer), 7),
    ("财务经理", Some(DecisionRole::Influencer), 5),
    ("IT 经理", Some(DecisionRole::Influencer), 4),
    ("生产经理", Some(DecisionRole::User), 7),
    ("设备主管", Some(DecisionRole::User), 6),
    ("工程师", Some(DecisionRole::User), 9),
    ("项目经理", Some(DecisionRole::User), 5),
    ("质量经理", Some(DecisionRole::User), 3),
    ("行政主管", Some(DecisionRole::Gatekeeper), 3),
    ("总经理助理", Some(DecisionRole::Gatekeeper), 4),
];

pub const ENGLISH_TITLES: &[(&str, Option<DecisionRole>)] = &[
    ("General Manager", Some(DecisionRole::DecisionMaker)),
    ("Purchasing Manager", Some(DecisionRole::Influencer)),
    ("Plant Manager", Some(DecisionRole::DecisionMaker)),
    ("Process Engineer", Some(DecisionRole::User)),
    ("Finance Director", Some(DecisionRole::Influencer)),
    ("Office Manager", Some(DecisionRole::Gatekeeper)),
];

pub const CONTACT_NOTES: &[&str] = &[
    "喜欢喝茶，周一上午不方便接电话",
    "对价格很敏感",
    "技术出身，看重参数和案例",
    "有意向但需要说服老板",
    "新上任，还在熟悉业务",
];

pub const FREE_MAIL: &[&str] = &["qq.com", "163.com", "126.com", "sina.com", "foxmail.com"];

/// What the demo company sells: deal titles are made of these.
pub const PRODUCTS: &[&str] = &[
    "MES 系统",
    "ERP 升级",
    "数控机床",
    "自动化产线",
    "工业机器人",
    "仓储管理系统",
    "设备维保服务",
    "视觉检测设备",
    "能耗监测系统",
    "智能仓储货架",
    "AGV 小车",
    "PLC 控制柜",
    "环保设备改造",
    "备品备件",
    "技术培训服务",
];

pub const ENGLISH_PRODUCTS: &[&str] = &[
    "MES rollout",
    "Robot cell",
    "Warehouse system",
    "Maintenance contract",
    "Vision inspection",
    "Spare parts",
];

pub const DEAL_PREFIXES: &[&str] = &["", "", "", "二期", "年度", "新厂区", "扩产"];

pub const COMPETITORS: &[&str] = &[
    "远图科技",
    "天合智能",
    "中恒自动化",
    "盛达机电",
    "华誉软件",
    "锐思信息",
    "科瑞达装备",
    "德森精工",
    "Kessler Automation",
    "Nordic Systems",
];

pub const STRENGTHS: &[&str] = &[
    "价格低",
    "本地有服务团队",
    "品牌知名度高",
    "与客户老板关系好",
    "交付周期短",
];

pub const WEAKNESSES: &[&str] = &[
    "交付周期长",
    "售后响应慢",
    "功能不完整",
    "案例少",
    "付款条件苛刻",
];

pub const CAMPAIGNS: &[&str] = &[
    "春季工博会",
    "秋季工博会",
    "线上研讨会",
    "老客户答谢会",
    "百度推广",
];

pub const REQUIREMENTS: &[&str] = &[
    "提升产线自动化率，减少人工",
    "替换老旧设备，降低故障率",
    "打通生产与仓储数据",
    "满足客户审厂的追溯要求",
    "降低能耗，完成节能指标",
];

pub const SOLUTIONS: &[&str] = &[
    "分两期实施，先试点一条产线",
    "标准产品加少量定制开发",
    "以租代买，降低一次性投入",
    "提供三年维保和备件包",
];

pub const MILESTONES: &[&str] = &[
    "下周技术交流",
    "月底前提交报价",
    "等待预算审批",
    "安排样机试用",
];

/// Lines reps write, per activity kind; `{c}` is the contact, `{p}` a product.
pub const CALL_LINES: &[&str] = &[
    "电话沟通{p}需求，客户关注交期",
    "跟进报价反馈，{c}表示下周内部评审",
    "确认到货时间和安装安排",
    "回访使用情况，客户总体满意",
    "客户询问价格，已说明优惠政策",
    "约{c}下周上门拜访",
    "{c}反馈设备偶发报警，已转售后",
];
pub const VISIT_LINES: &[&str] = &[
    "上门拜访{c}，参观生产线，了解产能瓶颈",
    "拜访采购部，递交资质文件",
    "现场勘察，测量安装位置",
    "陪同工程师现场调试{p}",
    "和{c}吃饭，聊了明年的扩产计划",
];
pub const SMS_LINES: &[&str] = &["发送会议时间提醒", "短信告知发货单号", "发送节日问候"];
pub const EMAIL_LINES: &[&str] = &[
    "发送{p}方案及报价单",
    "邮件确认合同条款",
    "发送产品资料和行业案例",
    "回复{c}的技术问题清单",
];
pub const WECHAT_LINES: &[&str] = &[
    "微信发送{p}演示视频",
    "微信沟通付款进度",
    "{c}微信咨询售后问题",
    "发送电子版合同供审阅",
    "微信约{c}周四见面",
];
pub const QQ_LINES: &[&str] = &["QQ 传输图纸文件", "QQ 沟通技术参数"];
pub const MEETING_LINES: &[&str] = &[
    "线上会议演示{p}",
    "参加客户项目启动会",
    "与{c}及技术团队评审方案",
    "季度业务回顾会议",
];
pub const NOTE_LINES: &[&str] = &[
    "客户预算审批推迟到下季度",
    "竞争对手报价低约 10%，需申请特价",
    "{c}即将调岗，需尽快对接新负责人",
    "客户年底集中采购，提前备货",
    "客户对{p}的稳定性有顾虑",
];
/// Said in the weeks before the Spring Festival.
pub const FESTIVAL_LINES: &[&str] = &[
    "春节前确认订单，节后安排发货",
    "节前拜访{c}，送年货",
    "客户节前要求锁定价格",
    "催收年前回款",
];
/// Said in the last weeks of a quarter.
pub const QUARTER_END_LINES: &[&str] = &[
    "季度末冲刺，催促合同盖章",
    "{c}答应本季度内走完审批",
    "争取季度内确认{p}订单",
];
pub const ENGLISH_LINES: &[&str] = &[
    "Call with {c} about the {p} timeline",
    "Sent quotation and reference cases",
    "Site visit, met the plant team",
    "Follow-up on payment terms",
];

/// Tasks about a customer; `{c}` is the contact, `{p}` a product.
pub const TASK_TITLES: &[&str] = &[
    "给{c}回电话",
    "发送{p}报价单",
    "准备投标文件",
    "安排技术交流会",
    "催收第二期款项",
    "寄送样品",
    "确认合同盖章",
    "上门回访",
    "整理{c}提出的问题清单",
    "申请特价审批",
];
/// Promises made to the customer.
pub const COMMITMENT_TITLES: &[&str] = &[
    "承诺：本周内提供{p}方案",
    "承诺：三个工作日内寄送样品",
    "承诺：安排工程师上门调试",
    "承诺：月底前出具正式报价",
    "承诺：节前完成发货",
];
/// Tasks of no customer.
pub const OWN_TASK_TITLES: &[&str] = &[
    "提交周报",
    "整理客户资料",
    "参加销售例会",
    "更新本月销售预测",
    "报销差旅费",
];
