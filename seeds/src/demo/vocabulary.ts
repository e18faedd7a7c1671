// Words the demo data is made of: company name parts (with pinyin for web and mail domains), people's names,
// job titles, banks, and the texts of activities, opportunities and documents. All in the demo company's language.

/** Brand words of company names, with their pinyin (恒瑞 → hengrui: www.hengrui-jd.com). */
export const BRAND_WORDS: readonly (readonly [string, string])[] = [
  ["恒瑞", "hengrui"], ["华通", "huatong"], ["振华", "zhenhua"], ["宏达", "hongda"], ["金鼎", "jinding"], ["鑫源", "xinyuan"],
  ["天成", "tiancheng"], ["永盛", "yongsheng"], ["汇丰", "huifeng"], ["博远", "boyuan"], ["中泰", "zhongtai"], ["瑞丰", "ruifeng"],
  ["新亚", "xinya"], ["德力", "deli"], ["联创", "lianchuang"], ["嘉华", "jiahua"], ["东升", "dongsheng"], ["海昌", "haichang"],
  ["兴隆", "xinglong"], ["富达", "fuda"], ["明辉", "minghui"], ["盛世", "shengshi"], ["正泰", "zhengtai"], ["长城", "changcheng"],
  ["宝丰", "baofeng"], ["通达", "tongda"], ["远航", "yuanhang"], ["三和", "sanhe"], ["四方", "sifang"], ["万利", "wanli"],
  ["金桥", "jinqiao"], ["银河", "yinhe"], ["华信", "huaxin"], ["亚太", "yatai"], ["海天", "haitian"], ["旭日", "xuri"],
  ["瑞达", "ruida"], ["力拓", "lituo"], ["百川", "baichuan"], ["精诚", "jingcheng"], ["卓越", "zhuoyue"], ["鼎盛", "dingsheng"],
  ["合力", "heli"], ["国泰", "guotai"], ["恒通", "hengtong"], ["金马", "jinma"], ["中联", "zhonglian"], ["华宇", "huayu"],
  ["科达", "keda"], ["锦程", "jincheng"], ["凯盛", "kaisheng"], ["泰和", "taihe"], ["永康", "yongkang"], ["晨光", "chenguang"],
  ["利民", "limin"], ["佳和", "jiahe"], ["同创", "tongchuang"], ["伟业", "weiye"], ["东方", "dongfang"], ["南洋", "nanyang"],
  ["北辰", "beichen"], ["青松", "qingsong"], ["蓝天", "lantian"], ["绿源", "lvyuan"], ["金诺", "jinnuo"], ["宏远", "hongyuan"],
  ["大成", "dacheng"], ["光大", "guangda"], ["信诚", "xincheng"], ["瑞祥", "ruixiang"], ["立信", "lixin"], ["荣昌", "rongchang"],
  ["天安", "tianan"], ["润泽", "runze"], ["华美", "huamei"], ["中科", "zhongke"], ["新天", "xintian"], ["众诚", "zhongcheng"],
  ["协力", "xieli"], ["安泰", "antai"], ["星河", "xinghe"], ["腾飞", "tengfei"], ["顺发", "shunfa"], ["昌达", "changda"],
  ["鸿运", "hongyun"], ["金轮", "jinlun"], ["华强", "huaqiang"], ["新力", "xinli"], ["优耐", "younai"], ["立邦", "libang"],
];

/**
 * Lines of business, with the short name (and its pinyin initials) that follows the brand, per customer industry
 * option value: 机电设备 (jd), 汽车零部件 (qp) …
 */
export const BUSINESS_BY_INDUSTRY: Record<string, readonly (readonly [string, string, string])[]> = {
  automotive: [["汽车零部件", "汽配", "qp"], ["汽车配件制造", "汽配", "qp"], ["车辆部件", "车件", "cj"], ["摩托车配件", "摩配", "mp"]],
  construction: [["建材", "建材", "jc"], ["新型建材", "建材", "jc"], ["防水材料", "防水", "fs"], ["门窗幕墙", "门窗", "mc"], ["管业", "管业", "gy"]],
  appliance: [["电器", "电器", "dq"], ["家电制造", "家电", "jd"], ["厨具", "厨具", "cj"], ["电机", "电机", "dj"]],
  electronics: [["电子", "电子", "dz"], ["电子科技", "电子", "dz"], ["线缆", "线缆", "xl"], ["机电设备", "机电", "jd"], ["自动化设备", "自动化", "zdh"]],
  packaging: [["包装", "包装", "bz"], ["包装材料", "包装", "bz"], ["印刷", "印刷", "ys"], ["塑料制品", "塑业", "sy"]],
  furniture: [["家具", "家具", "jj"], ["木业", "木业", "my"], ["办公家具", "家具", "jj"]],
  textile: [["纺织", "纺织", "fz"], ["服装", "服饰", "fs"], ["鞋业", "鞋业", "xy"], ["化纤", "化纤", "hx"]],
  chemical: [["化工", "化工", "hg"], ["精细化工", "化工", "hg"], ["新材料", "新材料", "xcl"], ["涂装", "涂装", "tz"]],
  other: [["机械", "机械", "jx"], ["五金", "五金", "wj"], ["船舶配件", "船配", "cp"], ["工程机械", "机械", "jx"], ["环保设备", "环保", "hb"]],
};

/** The legal-form suffix and how often it is seen. */
export const COMPANY_FORMS = [
  { value: "有限公司", weight: 70 },
  { value: "股份有限公司", weight: 12 },
  { value: "制造有限公司", weight: 10 },
  { value: "实业有限公司", weight: 8 },
];

export const INDUSTRY_WEIGHTS = [
  { value: "automotive", weight: 16 },
  { value: "construction", weight: 14 },
  { value: "appliance", weight: 12 },
  { value: "electronics", weight: 14 },
  { value: "packaging", weight: 10 },
  { value: "furniture", weight: 8 },
  { value: "textile", weight: 6 },
  { value: "chemical", weight: 12 },
  { value: "other", weight: 8 },
];

/** Common surnames (weighted by how common they are), with pinyin. */
export const SURNAMES: readonly (readonly [string, string, number])[] = [
  ["王", "wang", 10], ["李", "li", 10], ["张", "zhang", 9], ["刘", "liu", 7], ["陈", "chen", 7], ["杨", "yang", 5], ["黄", "huang", 4],
  ["赵", "zhao", 4], ["吴", "wu", 4], ["周", "zhou", 4], ["徐", "xu", 3], ["孙", "sun", 3], ["马", "ma", 3], ["朱", "zhu", 3],
  ["胡", "hu", 2], ["郭", "guo", 2], ["何", "he", 2], ["林", "lin", 2], ["高", "gao", 2], ["罗", "luo", 2], ["郑", "zheng", 2],
  ["梁", "liang", 2], ["谢", "xie", 1], ["宋", "song", 1], ["唐", "tang", 1], ["许", "xu", 1], ["韩", "han", 1], ["冯", "feng", 1],
  ["邓", "deng", 1], ["曹", "cao", 1], ["彭", "peng", 1], ["曾", "zeng", 1], ["肖", "xiao", 1], ["田", "tian", 1], ["董", "dong", 1],
  ["潘", "pan", 1], ["袁", "yuan", 1], ["蒋", "jiang", 1], ["蔡", "cai", 1], ["余", "yu", 1], ["杜", "du", 1], ["叶", "ye", 1],
  ["程", "cheng", 1], ["魏", "wei", 1], ["苏", "su", 1], ["吕", "lv", 1], ["丁", "ding", 1], ["任", "ren", 1], ["沈", "shen", 1],
];

/** Characters of given names, with pinyin, leaning male, female or either. */
export const GIVEN_MALE: readonly (readonly [string, string])[] = [
  ["伟", "wei"], ["强", "qiang"], ["磊", "lei"], ["军", "jun"], ["勇", "yong"], ["杰", "jie"], ["涛", "tao"], ["斌", "bin"],
  ["超", "chao"], ["明", "ming"], ["刚", "gang"], ["平", "ping"], ["辉", "hui"], ["鹏", "peng"], ["华", "hua"], ["飞", "fei"],
  ["鑫", "xin"], ["波", "bo"], ["宇", "yu"], ["浩", "hao"], ["凯", "kai"], ["健", "jian"], ["俊", "jun"], ["峰", "feng"],
  ["建国", "jianguo"], ["志强", "zhiqiang"], ["海涛", "haitao"], ["国庆", "guoqing"], ["文博", "wenbo"], ["子轩", "zixuan"],
  ["永刚", "yonggang"], ["晓东", "xiaodong"], ["建华", "jianhua"], ["立新", "lixin"], ["振宇", "zhenyu"], ["宏亮", "hongliang"],
];
export const GIVEN_FEMALE: readonly (readonly [string, string])[] = [
  ["芳", "fang"], ["娜", "na"], ["敏", "min"], ["静", "jing"], ["丽", "li"], ["艳", "yan"], ["娟", "juan"], ["霞", "xia"],
  ["婷", "ting"], ["雪", "xue"], ["琳", "lin"], ["颖", "ying"], ["倩", "qian"], ["慧", "hui"], ["洁", "jie"], ["萍", "ping"],
  ["红梅", "hongmei"], ["晓燕", "xiaoyan"], ["秀英", "xiuying"], ["丽华", "lihua"], ["雅琴", "yaqin"], ["美玲", "meiling"],
  ["欣怡", "xinyi"], ["佳怡", "jiayi"], ["玉兰", "yulan"], ["淑珍", "shuzhen"], ["海燕", "haiyan"], ["文静", "wenjing"],
];

export const CONTACT_ROLES = [
  { value: { title: "总经理", department: "总经办" }, weight: 8 },
  { value: { title: "副总经理", department: "总经办" }, weight: 5 },
  { value: { title: "采购经理", department: "采购部" }, weight: 18 },
  { value: { title: "采购专员", department: "采购部" }, weight: 16 },
  { value: { title: "技术总监", department: "技术部" }, weight: 6 },
  { value: { title: "工程师", department: "技术部" }, weight: 10 },
  { value: { title: "生产经理", department: "生产部" }, weight: 8 },
  { value: { title: "设备科长", department: "设备科" }, weight: 6 },
  { value: { title: "财务经理", department: "财务部" }, weight: 7 },
  { value: { title: "会计", department: "财务部" }, weight: 6 },
  { value: { title: "仓库主管", department: "仓储部" }, weight: 5 },
  { value: { title: "质检主管", department: "品质部" }, weight: 5 },
];

export const BANKS = ["中国工商银行", "中国建设银行", "中国农业银行", "中国银行", "交通银行", "招商银行", "浦发银行", "兴业银行", "中信银行", "民生银行"];

export const MOBILE_PREFIXES = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155", "158", "159", "166", "177", "180", "181", "186", "187", "188", "189", "199"];

export const LEAD_SOURCES = [
  { value: "exhibition", weight: 25 },
  { value: "website", weight: 20 },
  { value: "phone", weight: 15 },
  { value: "referral", weight: 25 },
  { value: "advertising", weight: 8 },
  { value: "other", weight: 7 },
];

export const LOST_REASONS = [
  "客户选择了价格更低的竞争对手",
  "客户项目延期，预算取消",
  "技术指标未能满足客户要求",
  "交货期无法满足客户排产计划",
  "客户改用进口品牌",
  "付款条件未能谈拢",
  "客户内部采购流程变更，转为集中招标",
];

export const OPPORTUNITY_TOPICS = ["年度采购", "产线改造项目", "新品导入", "替代进口项目", "扩产配套", "季度备货", "技术升级项目"];

export const PAYMENT_TERMS = ["货到30天内付清", "预付30%，发货前付清余款", "月结60天", "银行承兑汇票，货到90天", "款到发货"];

export const SAMPLE_PURPOSES = ["客户新产线试用", "替代现用品牌的性能对比测试", "新品推广试样", "客户实验室检测", "小批量试产验证"];

export const LEAD_REMARKS = ["展会上留下名片，对环保型产品感兴趣", "官网留言咨询价格与交期", "老客户介绍，近期有采购计划", "电话咨询技术参数", "行业协会活动中结识"];

export const DISQUALIFY_NOTES = ["需求量过小，暂不跟进", "联系方式无效", "属于同行询价", "客户已与竞争对手签订长期协议"];

/** Per activity type: subject, plan and result templates ({customer}, {contact}, {product} are filled in). */
export const ACTIVITY_TEXTS: Record<string, { subjects: string[]; plans: string[]; results: string[] }> = {
  marketing: {
    subjects: ["邀请{customer}参加新品推介会", "{customer}技术交流会", "向{customer}寄送产品目录", "{product}应用研讨会邀约"],
    plans: ["介绍本季度新品及应用案例，收集客户反馈", "安排技术人员讲解{product}的施工与使用要点", "寄送最新产品目录和价格政策"],
    results: ["客户派两人参会，对{product}表现出兴趣，约定下周报价", "交流顺利，客户提出样品试用需求", "资料已送达，客户表示会转给技术部评估"],
  },
  prospecting: {
    subjects: ["初次拜访{customer}", "电话联系{customer}采购部", "了解{customer}用量情况", "{customer}需求摸底"],
    plans: ["了解客户现用品牌、年用量和采购周期", "约见采购负责人，递交公司介绍", "确认决策链和付款习惯"],
    results: ["客户年用量约{quantity}，目前使用外资品牌，对价格敏感", "见到{contact}，对方同意安排技术评估", "客户近期无采购计划，三个月后再跟进"],
  },
  schedule: {
    subjects: ["拜访{customer}", "{contact}例行回访", "与{customer}对账", "{customer}交货协调", "陪同技术人员到{customer}现场"],
    plans: ["例行拜访，了解近期生产和用料情况", "核对上月发货与开票", "协调下批货物的交期和送货地址", "现场查看{product}使用情况"],
    results: ["客户生产正常，预计下月追加订单", "对账无误，客户确认月底付款", "交期已与仓库确认，按计划送货", "现场使用正常，客户满意"],
  },
  opportunity: {
    subjects: ["{customer}{product}项目方案沟通", "向{contact}提交报价", "{customer}商务谈判", "{customer}样品测试跟进"],
    plans: ["根据客户工况准备技术方案和报价", "就价格和付款方式进行谈判", "跟进样品测试结果，推动进入采购流程"],
    results: ["客户认可方案，进入比价阶段", "价格基本谈妥，等待客户内部审批", "样品测试合格，客户准备下单", "客户要求再降价3%，需请示经理"],
  },
  care: {
    subjects: ["{contact}生日问候", "中秋节客户关怀", "春节拜年", "端午节礼品寄送", "{customer}周年庆祝贺"],
    plans: ["准备贺卡和小礼品，电话问候", "寄送节日礼品并致电问候", "上门拜年，感谢客户一年来的支持"],
    results: ["礼品已送达，客户表示感谢", "电话问候，客户很高兴，顺便了解了下季度需求", "拜访顺利，客户透露明年用量会增加"],
  },
};

export const ACTIVITY_TYPES = [
  { value: "marketing", weight: 12 },
  { value: "prospecting", weight: 18 },
  { value: "schedule", weight: 32 },
  { value: "opportunity", weight: 23 },
  { value: "care", weight: 15 },
];
