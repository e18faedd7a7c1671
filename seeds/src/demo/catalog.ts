// The demo company's product catalogue (存货档案): coatings, plastics, rubber and resins (its product lines) plus the
// industrial parts it also trades (轴承, 减速机, 液压阀, 变频器 …), each family with its specifications, unit and price band.
import type { Random } from "./random";

export interface ProductFamily {
  /** product_line option value; null for the traded industrial parts outside the four lines. */
  productLine: string | null;
  /** Inventory code prefix. */
  prefix: string;
  name: string;
  specifications: readonly string[];
  unit: string;
  /** List price band per unit (yuan). */
  price: readonly [number, number];
  /** Typical order quantity band in this unit. */
  quantity: readonly [number, number];
  /** new_product_category option value of the family, when it is a new product the marketing specialists follow. */
  newProductCategory?: string;
}

const family = (
  productLine: string | null,
  prefix: string,
  name: string,
  specifications: string[],
  unit: string,
  price: [number, number],
  quantity: [number, number],
  newProductCategory?: string,
): ProductFamily => ({ productLine, prefix, name, specifications, unit, price, quantity, newProductCategory });

export const PRODUCT_FAMILIES: readonly ProductFamily[] = [
  family("coating", "TL", "环氧富锌底漆", ["20kg/桶 灰色", "25kg/桶 红棕", "20kg/桶 高锌含量"], "桶", [380, 720], [10, 200]),
  family("coating", "TL", "聚氨酯面漆", ["20kg/桶 RAL7035", "20kg/桶 RAL5015", "18kg/桶 哑光黑"], "桶", [520, 980], [10, 150]),
  family("coating", "TL", "丙烯酸防腐漆", ["18kg/桶 铁红", "18kg/桶 中灰"], "桶", [300, 560], [10, 200]),
  family("coating", "TL", "氟碳面漆", ["20kg/套 银灰", "20kg/套 白色"], "套", [900, 1600], [5, 80]),
  family("coating", "TL", "水性工业漆", ["20kg/桶 白色", "20kg/桶 蓝色", "25kg/桶 透明清漆"], "桶", [460, 880], [10, 150], "waterborne_coating"),
  family("coating", "TL", "水性木器漆", ["5kg/桶 亮光", "5kg/桶 哑光", "20kg/桶 底漆"], "桶", [180, 420], [20, 300], "waterborne_coating"),
  family("coating", "TL", "热固性粉末涂料", ["25kg/箱 纯聚酯", "25kg/箱 环氧聚酯", "25kg/箱 砂纹"], "箱", [420, 760], [10, 200], "powder_coating"),
  family("coating", "TL", "道路标线涂料", ["25kg/袋 热熔型", "20kg/桶 常温型"], "袋", [160, 320], [50, 500]),
  family("plastic", "SL", "聚丙烯粒子", ["PP-T30S 拉丝级", "PP-K8003 抗冲共聚", "PP-1102K 注塑级"], "吨", [7200, 9800], [5, 60]),
  family("plastic", "SL", "ABS工程塑料", ["ABS-757 通用级", "ABS-0215A 高光", "ABS-8391 耐热"], "吨", [10500, 15800], [2, 40]),
  family("plastic", "SL", "尼龙PA66", ["PA66-GF30 玻纤增强", "PA66-EPR27 注塑级"], "吨", [18000, 28000], [1, 20]),
  family("plastic", "SL", "聚碳酸酯PC", ["PC-2405 透明级", "PC-1100 阻燃级"], "吨", [14500, 21000], [1, 20]),
  family("plastic", "SL", "高密度聚乙烯", ["HDPE-5000S 拉丝级", "HDPE-DMDA8008 注塑级"], "吨", [7800, 10200], [5, 60]),
  family("plastic", "SL", "生物基PLA粒料", ["PLA-4032D 薄膜级", "PLA-2003D 挤出级"], "吨", [19000, 26000], [1, 15], "bio_based_plastic"),
  family("plastic", "SL", "可降解PBAT改性料", ["PBAT-TH801T 吹膜级", "PBAT/PLA 共混料"], "吨", [16000, 23000], [1, 20], "biodegradable_plastic"),
  family("rubber", "XJ", "丁腈橡胶", ["NBR-3305 中丙烯腈", "NBR-2907 低门尼"], "吨", [14000, 19000], [1, 20]),
  family("rubber", "XJ", "三元乙丙橡胶", ["EPDM-4045 通用级", "EPDM-J2070 高门尼"], "吨", [15500, 21000], [1, 20]),
  family("rubber", "XJ", "氟橡胶密封件", ["O型圈 φ20×2.4", "O型圈 φ50×3.1", "骨架油封 TC 40×62×8"], "件", [3, 28], [500, 20000], "specialty_rubber"),
  family("rubber", "XJ", "橡胶传动带", ["三角带 B-1600", "窄V带 SPZ-1250", "同步带 8M-1200"], "条", [18, 95], [50, 2000]),
  family("rubber", "XJ", "工业橡胶板", ["5mm 耐油", "10mm 耐磨", "3mm 绝缘"], "平方米", [45, 160], [20, 800]),
  family("resin", "SZ", "环氧树脂", ["E-51 液体", "E-44 液体", "E-12 固体"], "千克", [18, 32], [200, 8000]),
  family("resin", "SZ", "不饱和聚酯树脂", ["191 通用型", "196 耐热型", "3301 胶衣"], "千克", [9, 16], [500, 10000]),
  family("resin", "SZ", "丙烯酸树脂", ["热塑性 BR-113", "羟基型 AC-1200"], "千克", [16, 30], [200, 5000]),
  family("resin", "SZ", "水性醇酸树脂", ["W-120 环保型", "W-300 快干型"], "千克", [20, 36], [200, 5000], "eco_resin"),
  family("resin", "SZ", "酚醛树脂", ["2123 粉状", "PF-6201 液体"], "千克", [12, 22], [500, 8000]),
  family(null, "PT", "深沟球轴承", ["6205-2RS", "6308-ZZ", "6004-2Z", "6210-2RS"], "套", [12, 180], [50, 2000]),
  family(null, "PT", "斜齿轮减速机", ["R67 i=20 1.5kW", "K87 i=35 4kW", "F77 i=50 2.2kW"], "台", [3800, 12800], [1, 20]),
  family(null, "PT", "电磁换向阀", ["4WE6E 24VDC", "4WE10J 220VAC", "DSG-02-3C2"], "个", [380, 1600], [5, 100]),
  family(null, "PT", "液压溢流阀", ["DBDS10K 10MPa", "DBW20B 31.5MPa"], "个", [650, 2400], [2, 50]),
  family(null, "PT", "通用变频器", ["7.5kW 380V", "15kW 380V", "2.2kW 220V"], "台", [1800, 6800], [1, 30]),
  family(null, "PT", "齿轮油泵", ["CB-B25", "CBN-E310", "GPY-8"], "台", [260, 1200], [2, 50]),
];

export interface InventoryItem {
  id: string;
  code: string;
  name: string;
  specification: string;
  unit: string;
  productLine: string | null;
  newProductCategory: string | null;
  listPrice: number;
  /** Typical order quantity band (from the family; [1, 10] for items loaded from the database). */
  quantity: readonly [number, number];
}

/** Rounds a list price the way price lists do: whole yuan above 100, cents below. */
export function roundPrice(value: number): number {
  return value >= 100 ? Math.round(value) : Math.round(value * 100) / 100;
}

/** About `count` items, spread over every family, created at `createdAt`; codes continue after `firstNumber`. */
export function buildCatalog(random: Random, count: number, createdAt: number, firstNumber = 1): InventoryItem[] {
  const items: InventoryItem[] = [];
  const perFamily = Math.max(1, Math.round(count / PRODUCT_FAMILIES.length));
  let number = firstNumber;
  for (const product of PRODUCT_FAMILIES) {
    for (let index = 0; index < perFamily; index += 1) {
      const specification = product.specifications[index % product.specifications.length];
      // Several grades of one specification (国产 / 进口 / 经济型) make a believable long catalogue.
      const grade = Math.floor(index / product.specifications.length);
      const gradeName = ["", "（进口）", "（经济型）", "（高性能）", "（出口级）", "（定制）"][grade % 6] + (grade >= 6 ? ` ${grade}` : "");
      items.push({
        id: random.uuid(createdAt),
        code: `${product.prefix}${String(number).padStart(5, "0")}`,
        name: `${product.name}${gradeName}`,
        specification,
        unit: product.unit,
        productLine: product.productLine,
        newProductCategory: product.newProductCategory ?? null,
        listPrice: roundPrice(random.logUniform(product.price[0], product.price[1])),
        quantity: product.quantity,
      });
      number += 1;
    }
  }
  return items;
}
