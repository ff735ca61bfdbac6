import type { TFunction } from 'i18next';
import type { UseFormReturnType } from '@mantine/form';
import { ApiError } from '../../api/errors';
import { applyFieldErrors } from '../../ui/errors';

type UsersT = TFunction<'users'>;

/**
 * The limits the API documents for users, checked before sending: names 1–100 characters, a
 * login that is an email address (254 at most), passwords of 10 to 128 characters that are not
 * the login (compared without case, as the API does).
 */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const validName = (t: UsersT) => (v: string) =>
  !v.trim() ? t('field.required', { ns: 'errors' }) : v.trim().length > 100 ? t('field.tooLong', { ns: 'errors' }) : null;

export const validEmail = (t: UsersT, required = true) => (v: string) => {
  const s = v.trim();
  if (!s) return required ? t('field.required', { ns: 'errors' }) : null;
  if (s.length > 254) return t('field.tooLong', { ns: 'errors' });
  return EMAIL.test(s) ? null : t('field.email', { ns: 'errors' });
};

export function passwordProblem(t: UsersT, password: string, login: string): string | null {
  if (!password) return t('field.required', { ns: 'errors' });
  if (password.length < 10 || password.length > 128) return t('field.passwordLength', { ns: 'errors' });
  if (password.toLowerCase() === login.trim().toLowerCase()) return t('field.passwordIsLogin', { ns: 'errors' });
  return null;
}

/**
 * An API refusal's field errors on the form (`fields` maps API paths to form paths), with the
 * users' own codes in words: a taken login (`login_taken`, on each login it names) and a
 * password equal to the login (`equals_login`).
 */
export function applyUserErrors<T>(form: UseFormReturnType<T>, err: unknown, t: UsersT, fields: Record<string, string> = {}): void {
  applyFieldErrors(form, err, t as unknown as TFunction, fields);
  if (!(err instanceof ApiError)) return;
  for (const [path, detail] of Object.entries(err.fieldErrors())) {
    const target = fields[path] ?? path;
    if (err.code === 'login_taken' && /(^|\.)login$/.test(target)) form.setFieldError(target, t('code.login_taken', { ns: 'errors' }));
    if (detail.code === 'equals_login') form.setFieldError(target, t('field.passwordIsLogin', { ns: 'errors' }));
  }
}
