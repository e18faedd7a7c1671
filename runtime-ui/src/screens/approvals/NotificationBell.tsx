// The header's bell: unread notifications counted on a badge; the popover lists the latest ones, opens their record
// and marks them read (one by one or all at once).
import { useCallback, useEffect, useState } from "react";
import { Badge, Button, Empty, List, Popover, Typography } from "antd";
import { BellOutlined } from "@ant-design/icons";
import dayjs from "dayjs";
import { services, type NotificationItem } from "../../api/record-services";
import { useI18n } from "../../i18n/locale";
import { navigate, paths } from "../../routing/router";
import { refreshInboxCount } from "./inbox-count";
import "./approvals.css";

const REFRESH_MS = 60_000;

export function NotificationBell() {
  const { t, text } = useI18n();
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
    <div className="notification-panel">
      {notifications.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("notificationsEmpty")} />
      ) : (
        <List
          size="small"
          dataSource={notifications}
          renderItem={(notification) => (
            <List.Item
              key={notification.id}
              className={notification.read ? "notification read" : "notification unread"}
              actions={notification.read ? [] : [<Typography.Link key="read" onClick={() => void markRead([notification.id])}>{t("markRead")}</Typography.Link>]}
            >
              <div style={{ minWidth: 0, cursor: notification.recordId ? "pointer" : undefined }} onClick={() => openRecord(notification)}>
                <Typography.Text strong={!notification.read} style={{ overflowWrap: "anywhere" }}>
                  {text(notification.message)}
                </Typography.Text>
                <div>
                  <Typography.Text type="secondary">{dayjs(notification.createdAt).format("YYYY-MM-DD HH:mm")}</Typography.Text>
                </div>
              </div>
            </List.Item>
          )}
        />
      )}
      {unread.length > 0 && (
        <Button block type="link" onClick={() => void services.markAllNotificationsRead().then(load, load)}>
          {t("markAllRead")}
        </Button>
      )}
    </div>
  );

  return (
    <Popover trigger="click" placement="bottomRight" title={t("notifications")} content={content} open={open} onOpenChange={(next) => {
      setOpen(next);
      if (next) load();
    }}>
      <Badge count={unread.length} size="small" offset={[-4, 4]}>
        <Button type="text" icon={<BellOutlined />} aria-label={t("notifications")} title={t("notifications")} />
      </Badge>
    </Popover>
  );
}
