// One record of a list on a phone: antd's small hoverable Card, in its markup and class names (its styles come with
// antd.css) without the Card component, which brings antd's Tabs and Skeleton (some 30 kB of a cold list visit's
// JavaScript) for the tab lists and loading state a record card never has.
import { useContext, type ReactNode } from "react";
import { ConfigProvider } from "antd";
// antd's own Card style hook: with theme.zeroRuntime it only registers the card's CSS variables under the class
// names it returns, as the Card component does.
import useCardStyle from "antd/es/card/style";

export function ListCard({ recordId, onClick, children }: { recordId: string; onClick(): void; children: ReactNode }) {
  const prefix = useContext(ConfigProvider.ConfigContext).getPrefixCls("card");
  const [hashId, cssVarClass] = useCardStyle(prefix);
  return (
    <div data-record-id={recordId} className={[prefix, `${prefix}-bordered`, `${prefix}-hoverable`, `${prefix}-small`, hashId, cssVarClass].filter(Boolean).join(" ")} onClick={onClick}>
      <div className={`${prefix}-body`}>{children}</div>
    </div>
  );
}
