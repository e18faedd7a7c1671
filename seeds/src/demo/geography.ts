// Real provinces and cities of the demo company's sales territories, with phone area codes, postcodes and districts.

export interface City {
  province: string;
  name: string;
  /** Telephone area code (021, 022 …). */
  areaCode: string;
  postcode: string;
  /** Administrative division code: the region part of a unified social credit code. */
  divisionCode: string;
  districts: readonly string[];
}

const city = (province: string, name: string, areaCode: string, postcode: string, divisionCode: string, districts: string[]): City => ({
  province,
  name,
  areaCode,
  postcode,
  divisionCode,
  districts,
});

export const CITIES = {
  shanghai: city("上海市", "上海市", "021", "201", "310115", ["浦东新区", "闵行区", "嘉定区", "松江区", "青浦区", "宝山区", "奉贤区", "金山区"]),
  suzhou: city("江苏省", "苏州市", "0512", "215", "320505", ["工业园区", "高新区", "吴江区", "相城区", "吴中区"]),
  wuxi: city("江苏省", "无锡市", "0510", "214", "320214", ["新吴区", "惠山区", "锡山区", "滨湖区"]),
  changzhou: city("江苏省", "常州市", "0519", "213", "320411", ["武进区", "新北区", "金坛区"]),
  nanjing: city("江苏省", "南京市", "025", "211", "320115", ["江宁区", "六合区", "浦口区", "栖霞区"]),
  ningbo: city("浙江省", "宁波市", "0574", "315", "330206", ["北仑区", "鄞州区", "慈溪市", "余姚市", "镇海区"]),
  hangzhou: city("浙江省", "杭州市", "0571", "311", "330110", ["余杭区", "萧山区", "滨江区", "临平区"]),
  jiaxing: city("浙江省", "嘉兴市", "0573", "314", "330402", ["南湖区", "秀洲区", "海宁市", "平湖市"]),
  taizhouZj: city("浙江省", "台州市", "0576", "318", "331003", ["黄岩区", "路桥区", "温岭市", "玉环市"]),
  hefei: city("安徽省", "合肥市", "0551", "230", "340104", ["经济技术开发区", "高新区", "肥西县", "包河区"]),
  wuhu: city("安徽省", "芜湖市", "0553", "241", "340207", ["鸠江区", "弋江区", "经济技术开发区"]),
  tianjin: city("天津市", "天津市", "022", "300", "120116", ["滨海新区", "西青区", "津南区", "东丽区", "北辰区", "武清区"]),
  beijing: city("北京市", "北京市", "010", "101", "110115", ["大兴区", "顺义区", "通州区", "昌平区", "房山区"]),
  langfang: city("河北省", "廊坊市", "0316", "065", "131003", ["广阳区", "安次区", "固安县", "三河市"]),
  tangshan: city("河北省", "唐山市", "0315", "063", "130203", ["路北区", "丰润区", "曹妃甸区", "迁安市"]),
  cangzhou: city("河北省", "沧州市", "0317", "061", "130903", ["运河区", "新华区", "黄骅市", "任丘市"]),
  quanzhou: city("福建省", "泉州市", "0595", "362", "350503", ["丰泽区", "鲤城区", "晋江市", "石狮市", "南安市", "惠安县"]),
  xiamen: city("福建省", "厦门市", "0592", "361", "350211", ["集美区", "海沧区", "同安区", "翔安区"]),
  fuzhou: city("福建省", "福州市", "0591", "350", "350104", ["仓山区", "马尾区", "长乐区", "闽侯县"]),
  dongguan: city("广东省", "东莞市", "0769", "523", "441900", ["长安镇", "虎门镇", "松山湖", "塘厦镇", "常平镇"]),
  foshan: city("广东省", "佛山市", "0757", "528", "440606", ["顺德区", "南海区", "禅城区", "三水区"]),
  qingdao: city("山东省", "青岛市", "0532", "266", "370211", ["黄岛区", "城阳区", "即墨区", "胶州市", "李沧区"]),
  yantai: city("山东省", "烟台市", "0535", "264", "370613", ["莱山区", "福山区", "芝罘区", "龙口市"]),
  weifang: city("山东省", "潍坊市", "0536", "261", "370705", ["奎文区", "寒亭区", "寿光市", "诸城市"]),
  jinan: city("山东省", "济南市", "0531", "250", "370112", ["历城区", "章丘区", "槐荫区", "天桥区"]),
  zibo: city("山东省", "淄博市", "0533", "255", "370303", ["张店区", "临淄区", "周村区"]),
} satisfies Record<string, City>;

type CityKey = keyof typeof CITIES;

/** Where each branch sells: the first city is its home market and weighs the most. */
const TERRITORIES: { keyword: string; cities: CityKey[] }[] = [
  { keyword: "天津", cities: ["tianjin", "tianjin", "tianjin", "beijing", "langfang", "tangshan", "cangzhou"] },
  { keyword: "泉州", cities: ["quanzhou", "quanzhou", "quanzhou", "xiamen", "fuzhou", "dongguan", "foshan"] },
  { keyword: "青岛", cities: ["qingdao", "qingdao", "qingdao", "yantai", "weifang", "jinan", "zibo"] },
  {
    keyword: "上海",
    cities: ["shanghai", "shanghai", "shanghai", "suzhou", "suzhou", "wuxi", "changzhou", "nanjing", "ningbo", "hangzhou", "jiaxing", "taizhouZj", "hefei", "wuhu"],
  },
];

/** The cities a department sells in, by the name of its branch (上海总部, 天津分公司 …); headquarters' otherwise. */
export function territoryOf(branchName: string): City[] {
  const territory = TERRITORIES.find((entry) => branchName.includes(entry.keyword)) ?? TERRITORIES[TERRITORIES.length - 1];
  return territory.cities.map((key) => CITIES[key]);
}

/** The company's warehouse serving a city's branch. */
export function warehouseOf(branchName: string): string {
  if (branchName.includes("天津")) return "天津仓";
  if (branchName.includes("泉州")) return "泉州仓";
  if (branchName.includes("青岛")) return "青岛仓";
  return "上海总仓";
}

export const STREET_WORDS = [
  "建设", "人民", "解放", "中山", "长江", "黄河", "工业", "创业", "科技", "发展", "兴业", "振兴", "新华", "和平", "友谊",
  "金桥", "华夏", "东方", "朝阳", "青年", "光明", "滨海", "海港", "开发", "迎宾", "环城", "昌盛", "富强", "民主", "复兴",
];
export const STREET_KINDS = ["路", "大道", "街", "东路", "西路", "南路", "北路"];
export const PARK_NAMES = ["工业园", "经济开发区", "高新技术产业园", "物流园", "科技园", "产业园"];
