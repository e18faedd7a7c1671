// Believable Chinese company names, people, addresses, phone numbers and registration numbers, from a seeded stream.
import type { Random } from "./random";
import type { City } from "./geography";
import { PARK_NAMES, STREET_KINDS, STREET_WORDS } from "./geography";
import { BANKS, BRAND_WORDS, BUSINESS_BY_INDUSTRY, COMPANY_FORMS, GIVEN_FEMALE, GIVEN_MALE, MOBILE_PREFIXES, SURNAMES } from "./vocabulary";

export interface Company {
  /** 上海恒瑞机电设备有限公司 */
  name: string;
  /** 恒瑞机电 */
  shortName: string;
  /** hengrui-jd.com */
  domain: string;
}

const shortCity = (city: City) => city.name.replace(/市$/, "");
const shortProvince = (city: City) => city.province.replace(/(省|市)$/, "");

/** Region + brand + line of business + legal form, in the three orders Chinese company names come in. */
export function companyName(random: Random, city: City, industry: string): Company {
  const [brand, brandPinyin] = random.pick(BRAND_WORDS);
  const [business, short, initials] = random.pick(BUSINESS_BY_INDUSTRY[industry] ?? BUSINESS_BY_INDUSTRY.other);
  const form = random.weighted(COMPANY_FORMS);
  const shape = random.float();
  const name =
    shape < 0.7
      ? `${shortCity(city)}${brand}${business}${form}`
      : shape < 0.85
        ? `${shortProvince(city)}${brand}${business}${form}`
        : `${brand}${business}（${shortCity(city)}）${form}`;
  const domain = `${brandPinyin}${random.chance(0.5) ? `-${initials}` : initials}${random.chance(0.15) ? random.int(1, 99) : ""}.${random.chance(0.8) ? "com" : "cn"}`;
  return { name, shortName: `${brand}${short}`, domain };
}

export interface PersonName {
  name: string;
  /** zhangwei: the local part of a mail address. */
  pinyin: string;
  gender: "male" | "female";
}

const SURNAME_CHOICES = SURNAMES.map(([surname, pinyin, weight]) => ({ value: [surname, pinyin] as const, weight }));

export function personName(random: Random): PersonName {
  const [surname, surnamePinyin] = random.weighted(SURNAME_CHOICES);
  const gender = random.chance(0.62) ? "male" : "female";
  const [given, givenPinyin] = random.pick(gender === "male" ? GIVEN_MALE : GIVEN_FEMALE);
  return { name: `${surname}${given}`, pinyin: `${surnamePinyin}${givenPinyin}`, gender };
}

export interface Address {
  country: string;
  province: string;
  city: string;
  district: string;
  street: string;
  postcode: string;
}

/** A street address in the city; `inPark` puts it in an industrial park, as factories and warehouses are. */
export function address(random: Random, city: City, inPark = false): Address {
  const district = random.pick(city.districts);
  const street = `${random.pick(STREET_WORDS)}${random.pick(STREET_KINDS)}${random.int(1, 1999)}号`;
  const park = inPark ? `${district.replace(/(区|县|市|镇)$/, "")}${random.pick(PARK_NAMES)}` : "";
  return {
    country: "中国",
    province: city.province,
    city: city.name,
    district,
    street: park ? `${park}${street}` : street,
    postcode: `${city.postcode}${random.digits(3)}`,
  };
}

/** 021-58231234 (7 digits after a four-digit area code). */
export function landline(random: Random, city: City): string {
  const length = city.areaCode.length === 3 ? 8 : 7;
  return `${city.areaCode}-${random.int(2, 8)}${random.digits(length - 1)}`;
}

export function mobile(random: Random): string {
  return `${random.pick(MOBILE_PREFIXES)}${random.digits(8)}`;
}

const CREDIT_CODE_CHARACTERS = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/** A unified social credit code (统一社会信用代码): 91 + division code + organisation code + check character. */
export function creditCode(random: Random, city: City): string {
  let code = `91${city.divisionCode}`;
  while (code.length < 18) code += CREDIT_CODE_CHARACTERS[random.int(0, CREDIT_CODE_CHARACTERS.length - 1)];
  return code;
}

export function bankBranch(random: Random, city: City): { bank: string; account: string } {
  const district = random.pick(city.districts).replace(/(区|县|市|镇)$/, "");
  return { bank: `${random.pick(BANKS)}${shortCity(city)}${district}支行`, account: `${random.int(1, 9)}${random.digits(random.pick([15, 16, 18]))}` };
}
