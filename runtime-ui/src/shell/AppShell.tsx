// The signed-in frame: header, navigation menu (a drawer on phones) and the current screen, loaded lazily.
import { Suspense, useCallback, useState } from "react";
import { Alert, Badge, Button, Drawer, Grid, Layout, Menu, Typography } from "antd";
import { AuditOutlined, BarChartOutlined, CalendarOutlined, LogoutOutlined, MenuOutlined } from "@ant-design/icons";
import { api, ApiError } from "../api/client";
import { MetadataProvider, useMetadata } from "../api/metadata-store";
import { useI18n } from "../i18n/locale";
import { LanguageSwitch } from "../i18n/LanguageSwitch";
import { navigate, parseRoute, paths, usePathname } from "../routing/router";
import { pageSpinner } from "../App";
import { MODULES, menuGroups } from "./menu";
import { RESULT, SCREENS } from "./screens";
import { useReports } from "../screens/reports/report-api";
import { REPORT_TEXT } from "../screens/reports/report-messages";
import { useInboxCount } from "../screens/approvals/inbox-count";
import { NotificationBell } from "../screens/approvals/NotificationBell";

const Result = RESULT.Component;
const ListScreen = SCREENS.list.Component;
const RecordScreen = SCREENS.record.Component;
const ApprovalsInbox = SCREENS.approvals.Component;
const CalendarScreen = SCREENS.calendar.Component;
const ReportsScreen = SCREENS.reports.Component;

/** Menu keys of the screens that are not objects; object names are snake_case, so a colon keeps them apart. */
const APPROVALS_KEY = ":approvals";
const CALENDAR_KEY = ":calendar";
const REPORTS_KEY = ":reports";

function NavigationMenu({ onNavigate }: { onNavigate(): void }) {
  const { t, text } = useI18n();
  const { user, objects } = useMetadata();
  const route = parseRoute(usePathname());
  const inboxCount = useInboxCount();
  const reports = useReports();
  const selected =
    route.screen === "reports" ? [REPORTS_KEY] : route.screen === "list" || route.screen === "record" ? [route.object] : route.screen === "approvals" ? [APPROVALS_KEY] : route.screen === "calendar" ? [CALENDAR_KEY] : [];
  const groups = menuGroups(user, objects);
  const moduleLabel = (module: string) => {
    const known = MODULES.find((candidate) => candidate.name === module);
    return known ? t(known.label) : module === "other" ? t("moduleOther") : module;
  };
  return (
    <Menu
      mode="inline"
      // antd wraps every item in a tooltip that only shows on a collapsed menu, which this one never is.
      tooltip={false}
      selectedKeys={selected}
      defaultOpenKeys={groups.map((group) => group.module)}
      items={[
        {
          key: APPROVALS_KEY,
          icon: <AuditOutlined />,
          label: (
            <span className="menu-with-badge">
              {t("approvalsInbox")} <Badge count={inboxCount} size="small" />
            </span>
          ),
        },
        { key: CALENDAR_KEY, icon: <CalendarOutlined />, label: t("myCalendar") },
        // 报表分析: only when the user may run at least one report.
        ...(reports?.length ? [{ key: REPORTS_KEY, icon: <BarChartOutlined />, label: text(REPORT_TEXT.reports) }] : []),
        ...groups.map((group) => ({
          key: group.module,
          label: moduleLabel(group.module),
          children: group.objects.map((object) => ({ key: object.name, label: text(object.pluralLabel ?? object.label, object.name) })),
        })),
      ]}
      onClick={({ key }) => {
        navigate(key === REPORTS_KEY ? paths.reports() : key === APPROVALS_KEY ? paths.approvals() : key === CALENDAR_KEY ? paths.calendar() : paths.list(key));
        onNavigate();
      }}
    />
  );
}

function CurrentScreen() {
  const { t } = useI18n();
  const { user } = useMetadata();
  const route = parseRoute(usePathname());
  switch (route.screen) {
    case "home":
      return <Result status="info" title={t("welcome", { name: user.displayName || user.username })} subTitle={t("welcomeHint")} />;
    case "list":
      return <ListScreen key={route.object} object={route.object} />;
    case "record":
      return <RecordScreen key={`${route.object}/${route.id ?? "new"}`} object={route.object} id={route.id} />;
    case "approvals":
      return <ApprovalsInbox />;
    case "calendar":
      return <CalendarScreen />;
    case "reports":
      return <ReportsScreen report={route.report} />;
    case "unknown":
      return <Result status="404" title={t("notFoundTitle")} extra={<Button onClick={() => navigate(paths.home())}>{t("home")}</Button>} />;
  }
}

function Frame({ onSignOut }: { onSignOut(): void }) {
  const { t } = useI18n();
  const { user } = useMetadata();
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const [drawerOpen, setDrawerOpen] = useState(false);
  return (
    <Layout style={{ minHeight: "100vh" }}>
      {!phone && (
        <Layout.Sider width={220} theme="light" style={{ borderRight: "1px solid #f0f0f0" }}>
          <NavigationMenu onNavigate={() => undefined} />
        </Layout.Sider>
      )}
      <Layout style={{ minWidth: 0 }}>
        <Layout.Header className="shell-header">
          {phone && <Button type="text" icon={<MenuOutlined />} aria-label={t("menu")} onClick={() => setDrawerOpen(true)} />}
          <span className="shell-title" onClick={() => navigate(paths.home())}>
            {t("appTitle")}
          </span>
          <NotificationBell />
          <LanguageSwitch />
          {!phone && <Typography.Text>{user.displayName || user.username}</Typography.Text>}
          <Button type="text" icon={<LogoutOutlined />} aria-label={t("signOut")} title={t("signOut")} onClick={onSignOut} />
        </Layout.Header>
        <Layout.Content className="shell-content">
          <Suspense fallback={pageSpinner}>
            <CurrentScreen />
          </Suspense>
        </Layout.Content>
      </Layout>
      {phone && (
        <Drawer placement="left" open={drawerOpen} onClose={() => setDrawerOpen(false)} title={user.displayName || user.username} size={280} styles={{ body: { padding: 0 } }}>
          <NavigationMenu onNavigate={() => setDrawerOpen(false)} />
        </Drawer>
      )}
    </Layout>
  );
}

export default function AppShell({ onSignOut }: { onSignOut(): void }) {
  const { t, text } = useI18n();
  const [loadError, setLoadError] = useState<string | null>(null);
  const signOut = useCallback(() => {
    // The cookie is cleared by the server; the bearer token is forgotten here even when that call fails.
    api.logout().finally(onSignOut);
  }, [onSignOut]);
  const onError = useCallback((error: unknown) => setLoadError(error instanceof ApiError ? text(error.messages) : t("networkError")), [t, text]);
  if (loadError) return <Alert type="error" showIcon title={t("loadFailed")} description={loadError} style={{ margin: 24 }} />;
  return (
    <MetadataProvider fallback={pageSpinner} onError={onError}>
      <Frame onSignOut={signOut} />
    </MetadataProvider>
  );
}
