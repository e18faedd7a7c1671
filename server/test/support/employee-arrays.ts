// Employees, with their departments, as SQL arrays in the same order: scenario tests that generate data at scale
// spread owners over them with generate_series.
export const EMPLOYEE_ARRAYS = `(SELECT array_agg(id ORDER BY code) AS ids, array_agg(department_id ORDER BY code) AS departments, count(*)::int AS n
                     FROM employee WHERE deleted_at IS NULL) AS e`;
