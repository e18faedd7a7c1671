// Sign-in with username and password; the token goes to the API client's session.
import { useState } from "react";
import { Alert, Button, Card, Form, Input } from "antd";
import { api, ApiError, session } from "../api/client";
import { useI18n } from "../i18n/locale";
import { LanguageSwitch } from "../i18n/LanguageSwitch";

interface Credentials {
  username: string;
  password: string;
}

export default function LoginScreen({ onSignedIn }: { onSignedIn(): void }) {
  const { t, text } = useI18n();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(values: Credentials) {
    setBusy(true);
    setError(null);
    try {
      const { token } = await api.login(values.username, values.password);
      session.save(token);
      onSignedIn();
    } catch (caught) {
      setError(caught instanceof ApiError ? text(caught.messages) : t("networkError"));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="login-page">
      <Card className="login-card" title={t("appTitle")} extra={<LanguageSwitch />}>
        <Form<Credentials> layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item name="username" label={t("username")} rules={[{ required: true, message: t("usernameRequired") }]}>
            <Input autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item name="password" label={t("password")} rules={[{ required: true, message: t("passwordRequired") }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t("signIn")}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
