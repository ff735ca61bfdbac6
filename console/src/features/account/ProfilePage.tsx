import { Paper, Skeleton, Stack, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/me';
import { ErrorAlert } from '../../ui/errors';
import { PageHeader } from '../../ui/PageHeader';
import { PasswordForm } from './PasswordForm';
import { ProfileForm } from './ProfileForm';
import { useEditProfile } from './queries';
import { Notice } from '../auth/Notice';

/**
 * The own profile (everyone): names, login (changed through a link to the new address),
 * notification address, phone, language (the console follows it), address; and the password.
 * One request: the `me` query the layout already holds.
 */
export function ProfilePage() {
  const { t } = useTranslation('account');
  const me = useMe();
  const [pendingLogin, setPendingLogin] = useState<string>();
  const edit = useEditProfile();

  if (me.error) return <ErrorAlert error={me.error} />;
  return (
    <Stack maw={880}>
      <PageHeader title={t('profile.title')} />
      {!me.data ? (
        <Skeleton h={320} />
      ) : (
        <>
          {me.data.actingAs ? (
            <Notice color="orange" role="note">
              {t('profile.actingAs')}
            </Notice>
          ) : null}
          {pendingLogin ? (
            <Notice color="blue" role="status" title={t('profile.loginPendingTitle')} withCloseButton closeButtonLabel={t('actions.close', { ns: 'common' })} onClose={() => setPendingLogin(undefined)}>
              {t('profile.loginPending', { login: pendingLogin, current: me.data.login })}
            </Notice>
          ) : null}
          <Paper withBorder p="md" radius="md" component="section" aria-labelledby="profile-details">
            <Stack>
              <Title order={2} size="h3" id="profile-details">
                {t('profile.details')}
              </Title>
              {/* A refusal (a 412 when the profile changed meanwhile) stays in view while the form starts again from the fresh profile. */}
              <ErrorAlert error={edit.error} />
              <ProfileForm key={me.data.version} me={me.data} edit={edit} onLoginPending={setPendingLogin} />
            </Stack>
          </Paper>
          <Paper withBorder p="md" radius="md" component="section" aria-labelledby="profile-password">
            <Stack>
              <Title order={2} size="h3" id="profile-password">
                {t('password.title')}
              </Title>
              <PasswordForm me={me.data} />
            </Stack>
          </Paper>
        </>
      )}
    </Stack>
  );
}
