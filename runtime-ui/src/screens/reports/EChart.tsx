// One echarts chart: loads the chart library on first use, redraws on new options and follows its box's size.
import { useEffect, useRef, useState } from "react";
import { Spin } from "antd";
import type { ECharts } from "echarts/core";

const loadEcharts = () => import("./echarts-setup").then((module) => module.echarts);

export function EChart({ option, height = 360 }: { option: Record<string, unknown>; height?: number }) {
  const box = useRef<HTMLDivElement>(null);
  const [chart, setChart] = useState<ECharts | null>(null);
  useEffect(() => {
    let disposed = false;
    let instance: ECharts | null = null;
    let observer: ResizeObserver | null = null;
    void loadEcharts().then((echarts) => {
      if (disposed || !box.current) return;
      instance = echarts.init(box.current);
      observer = new ResizeObserver(() => instance?.resize());
      observer.observe(box.current);
      setChart(instance);
    });
    return () => {
      disposed = true;
      observer?.disconnect();
      instance?.dispose();
    };
  }, []);
  useEffect(() => {
    chart?.setOption(option, true);
  }, [chart, option]);
  return (
    <div className="report-chart" style={{ position: "relative", height }}>
      <div ref={box} style={{ width: "100%", height: "100%" }} data-chart-ready={chart ? "true" : "false"} />
      {!chart && <Spin style={{ position: "absolute", top: "45%", left: "50%" }} />}
    </div>
  );
}
