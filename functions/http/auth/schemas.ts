import * as z from 'zod/mini';
import { id, Password } from '../schemas.ts';

/** The bodies of sign-in (docs/product.md#portal-users, docs/product.md#auth-and-self); the answers are the User and Session of users/schemas.ts. */
export const LoginBody = z.strictObject({ login: z.string().check(z.minLength(1), z.maxLength(254)), password: z.string().check(z.minLength(1), z.maxLength(1024)) });
export const RefreshBody = z.strictObject({ refreshToken: z.string().check(z.minLength(20), z.maxLength(200)) });
/** A link's token: `<userId>.<secret>` (platform/activation.ts). */
const LinkToken = z.string().check(z.minLength(1), z.maxLength(200));
export const ActivateBody = z.strictObject({ token: LinkToken, password: Password });
export const ImpersonateBody = z.strictObject({ userId: id('user') });
export const ResetBody = z.strictObject({ login: z.string().check(z.minLength(1), z.maxLength(254)) });
export const ConfirmResetBody = z.strictObject({ token: LinkToken, password: Password });
export const ConfirmLoginBody = z.strictObject({ token: LinkToken });
