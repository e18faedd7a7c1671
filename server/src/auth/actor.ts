// The acting user: passed explicitly to every service call, never read from global state.
export interface Actor {
  userId: string;
  username: string;
  displayName: string;
  employeeId: string | null;
  roles: string[];
  isAdmin: boolean;
  locale: "zh-CN" | "en";
}

/** The platform itself (boot, pack application from the command line). */
export const SYSTEM_ACTOR: Actor = {
  userId: "00000000-0000-0000-0000-000000000000",
  username: "system",
  displayName: "System",
  employeeId: null,
  roles: [],
  isAdmin: true,
  locale: "zh-CN",
};
