// The notification bell's popover content: the latest notifications, each opening its record, with "mark read".
// A chunk of its own (antd's List brings Pagination and Select): the header shows the bell on every first visit,
// the list only once it is opened.
import { Button, Empty, List, Typography } from "antd";
import dayjs from "dayjs";
import type { NotificationItem } from "../../api/record-services";
import { useI18n } from "../../i18n/locale";

export interface NotificationListProps {
  notifications: NotificationItem[];
  onOpen(notification: NotificationItem): void;
  onMarkRead(ids: string[]): void;
  onMarkAllRead(): void;
}

export default function NotificationList({ notifications, onOpen, onMarkRead, onMarkAllRead }: NotificationListProps) {
  const { t, text } = useI18n();
  const unread = notifications.filter((notification) => !notification.read);
  return (
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
              actions={notification.read ? [] : [<Typography.Link key="read" onClick={() => onMarkRead([notification.id])}>{t("markRead")}</Typography.Link>]}
            >
              <div style={{ minWidth: 0, cursor: notification.recordId ? "pointer" : undefined }} onClick={() => onOpen(notification)}>
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
        <Button block type="link" onClick={onMarkAllRead}>
          {t("markAllRead")}
        </Button>
      )}
    </div>
  );
}
