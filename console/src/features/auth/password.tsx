import { PasswordInput, Stack } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/errors';

/** The API's password rule (10 to 128 characters, not the login, whatever the case), checked before sending. */
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;

/** An input's description in a gray dark enough for AA contrast on white (the default dimmed gray is not). */
export const HINT = { descriptionProps: { c: 'gray.7' } } as const;

export interface NewPasswordValues {
  password: string;
  confirm: string;
}

/** Validators (messages of the `errors` namespace) for a new password and its repetition; `login` when known (the profile), else the API checks it. */
export function newPasswordRules(t: TFunction<'errors'>, login?: () => string | undefined) {
  return {
    password: (v: string) => {
      if (!v) return t('field.required');
      if (v.length < PASSWORD_MIN || v.length > PASSWORD_MAX) return t('field.passwordLength');
      const l = login?.();
      if (l && v.toLowerCase() === l.toLowerCase()) return t('field.passwordIsLogin');
      return null;
    },
    confirm: (v: string, values: NewPasswordValues) => (v === values.password ? null : t('field.passwordsDiffer')),
  };
}

/** A refusal of the new password (`equals_login`, a length) as the message for its field, when it is one. */
export function passwordFieldError(err: unknown, t: TFunction<'errors'>, apiPath: string): string | undefined {
  if (!(err instanceof ApiError)) return undefined;
  const detail = err.fieldErrors()[apiPath];
  if (!detail) return undefined;
  if (detail.code === 'equals_login') return t('field.passwordIsLogin');
  return t('field.passwordLength');
}

/** The new password and its repetition, with the rule said under the first. */
export function NewPasswordFields<T extends NewPasswordValues>({ form, disabled }: { form: UseFormReturnType<T>; disabled?: boolean }) {
  const { t } = useTranslation('auth');
  return (
    <Stack gap="sm">
      <PasswordInput
        label={t('password.new')}
        description={t('password.hint')}
        {...HINT}
        autoComplete="new-password"
        required
        maxLength={PASSWORD_MAX}
        disabled={disabled}
        {...form.getInputProps('password')}
      />
      <PasswordInput label={t('password.confirm')} autoComplete="new-password" required maxLength={PASSWORD_MAX} disabled={disabled} {...form.getInputProps('confirm')} />
    </Stack>
  );
}
