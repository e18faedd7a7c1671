// 金额大写: data-driven cases, with the zero rules (零 inside groups, across 万 / 亿, before 分) case by case.
import { describe, expect, it } from "vitest";
import { amountInChineseCapitals } from "./chinese-capitals";

const cases: Array<[number | string, string]> = [
  // the examples of the issue
  [12345.67, "壹万贰仟叁佰肆拾伍元陆角柒分"],
  [100, "壹佰元整"],
  [1005.5, "壹仟零伍元伍角"],
  [0.05, "伍分"],
  [100000000, "壹亿元整"],
  // zero and small amounts
  [0, "零元整"],
  ["0.00", "零元整"],
  [0.5, "伍角"],
  [0.1, "壹角"],
  [0.01, "壹分"],
  [0.55, "伍角伍分"],
  [1, "壹元整"],
  [10, "壹拾元整"],
  [15, "壹拾伍元整"],
  [20, "贰拾元整"],
  // zeros inside a group of four
  [101, "壹佰零壹元整"],
  [110, "壹佰壹拾元整"],
  [1001, "壹仟零壹元整"],
  [1010, "壹仟零壹拾元整"],
  [1100, "壹仟壹佰元整"],
  [1005, "壹仟零伍元整"],
  [1050, "壹仟零伍拾元整"],
  // zeros across 万
  [10000, "壹万元整"],
  [10005, "壹万零伍元整"],
  [10050, "壹万零伍拾元整"],
  [10500, "壹万零伍佰元整"],
  [15000, "壹万伍仟元整"],
  [100500, "壹拾万零伍佰元整"],
  [100010, "壹拾万零壹拾元整"],
  [1000000, "壹佰万元整"],
  [10001000, "壹仟万壹仟元整"],
  [10000001, "壹仟万零壹元整"],
  // zeros across 亿
  [100000005, "壹亿零伍元整"],
  [100050000, "壹亿零伍万元整"],
  [110000000, "壹亿壹仟万元整"],
  [100001000, "壹亿零壹仟元整"],
  [1000000000, "壹拾亿元整"],
  [1000000000000, "壹万亿元整"],
  [1000100000000, "壹万零壹亿元整"],
  ["9999999999999999.99", "玖仟玖佰玖拾玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"],
  // 角 and 分 after a whole amount
  [12.05, "壹拾贰元零伍分"],
  [1000.05, "壹仟元零伍分"],
  [1000.5, "壹仟元伍角"],
  [1000.55, "壹仟元伍角伍分"],
  [10000.1, "壹万元壹角"],
  // negatives
  [-12.5, "负壹拾贰元伍角"],
  [-0.05, "负伍分"],
  [-100, "负壹佰元整"],
  // rounding half up to 分, exactly (1.005 is 1.00499… as a double, but it is written 1.005)
  [1.005, "壹元零壹分"],
  ["12345.675", "壹万贰仟叁佰肆拾伍元陆角捌分"],
  ["0.994", "玖角玖分"],
  ["0.995", "壹元整"],
  ["-0.001", "零元整"],
  // strings as PostgreSQL returns numeric values
  ["123.40", "壹佰贰拾叁元肆角"],
  [" 7 ", "柒元整"],
  [".5", "伍角"],
];

describe("amountInChineseCapitals", () => {
  it.each(cases)("%s → %s", (value, expected) => {
    expect(amountInChineseCapitals(value)).toBe(expected);
  });

  it.each([["abc"], [""], ["1e5"], ["1.2.3"], [Number.NaN], [Number.POSITIVE_INFINITY]])("refuses %s", (value) => {
    expect(() => amountInChineseCapitals(value as number | string)).toThrow(RangeError);
  });

  it("refuses amounts of 10^16 元 and more", () => {
    expect(() => amountInChineseCapitals("10000000000000000")).toThrow(RangeError);
  });
});
