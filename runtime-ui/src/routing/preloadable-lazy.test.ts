import { createElement, Suspense } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { preloadableLazy, preloadWhenIdle } from "./preloadable-lazy";

const screen = () => preloadableLazy(async () => ({ default: () => createElement("p", null, "列表已就绪") }));
const render = (Component: ReturnType<typeof screen>["Component"]) => renderToString(createElement(Suspense, { fallback: "loading" }, createElement(Component)));

describe("preloadableLazy", () => {
  it("renders a preloaded screen at once, without its fallback", async () => {
    const list = screen();
    await list.preload();
    expect(render(list.Component)).toContain("列表已就绪");
  });

  it("suspends like React.lazy when the code has not arrived", () => {
    expect(render(screen().Component)).toContain("loading");
  });

  it("downloads once however often it is preloaded", async () => {
    let loads = 0;
    const list = preloadableLazy(async () => {
      loads += 1;
      return { default: () => null };
    });
    await Promise.all([list.preload(), list.preload()]);
    await list.preload();
    expect(loads).toBe(1);
  });
});

describe("preloadWhenIdle", () => {
  it("runs the preloads once the browser is idle, unless cancelled first", async () => {
    const ran: string[] = [];
    const preload = (name: string) => async () => void ran.push(name);
    preloadWhenIdle(preload("drawer"), preload("dialog"));
    const cancel = preloadWhenIdle(preload("cancelled"));
    cancel();
    expect(ran).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(ran).toEqual(["drawer", "dialog"]);
  });
});
