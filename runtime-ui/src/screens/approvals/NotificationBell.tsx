// The header's bell: unread notifications counted on a badge; the popover lists the latest ones, opens their record
// and marks them read (one by one or all at once).
import { Suspense, useCallback, useEffect, useState } from "react";
import { Badge, Button, Popover } from "antd";
import { BellOutlined } from "@ant-design/icons";
import { services, type NotificationItem } from "../../api/record-services";
import { useI18n } from "../../i18n/locale";
import { navigate, paths } from "../../routing/router";
import { preloadableLazy } from "../../routing/preloadable-lazy";
import { refreshInboxCount } from "./inbox-count";
import type { NotificationListProps } from "./NotificationList";
import "./approvals.css";

const REFRESH_MS = 60_000;
// Not part of a first visit's code: fetched when the pointer comes near the bell (or focus reaches it).
const NotificationPanel = preloadableLazy<NotificationListProps>(() => import("./NotificationList"));

export function NotificationBell() {
  const { t } = useI18n();
  const [notifications, setNotifications] = useState<NotificationItem[]>([]);
  const [open, setOpen] = useState(false);
  const load = useCallback(() => {
    // A failed refresh keeps the previous list; the next one tries again.
    services.notifications().then((answer) => setNotifications(answer.notifications), () => undefined);
  }, []);
  useEffect(() => {
    load();
    const timer = setInterval(load, REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  const unread = notifications.filter((notification) => !notification.read);
  const markRead = async (ids: string[]) => {
    await Promise.allSettled(ids.map((id) => services.markNotificationRead(id)));
    load();
  };
  const openRecord = (notification: NotificationItem) => {
    if (!notification.read) void markRead([notification.id]);
    if (notification.object && notification.recordId) {
      setOpen(false);
      refreshInboxCount();
      navigate(paths.record(notification.object, notification.recordId));
    }
  };

  const content = (
    <Suspense fallback={<div className="notification-panel" />}>
      <NotificationPanel.Component
        notifications={notifications}
        onOpen={openRecord}
        onMarkRead={(ids) => void markRead(ids)}
        onMarkAllRead={() => void services.markAllNotificationsRead().then(load, load)}
      />
    </Suspense>
  );

  return (
    <Popover trigger="click" placement="bottomRight" title={t("notifications")} content={content} open={open} onOpenChange={(next) => {
      setOpen(next);
      if (next) load();
    }}>
      <Badge count={unread.length} size="small" offset={[-4, 4]}>
        <Button
          type="text"
          icon={<BellOutlined />}
          aria-label={t("notifications")}
          title={t("notifications")}
          onPointerEnter={() => void NotificationPanel.preload()}
          onFocus={() => void NotificationPanel.preload()}
        />
      </Badge>
    </Popover>
  );
}
