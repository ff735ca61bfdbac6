import * as z from 'zod';
import { id, Password } from '../schemas.ts';

/** The bodies of sign-in (docs/product.md#portal-users, docs/product.md#auth-and-self); the answers are the User and Session of users/schemas.ts. */
export const LoginBody = z.object({ login: z.string().min(1).max(254), password: z.string().min(1).max(1024) }).strict();
export const RefreshBody = z.object({ refreshToken: z.string().min(20).max(200) }).strict();
/** A link's token: `<userId>.<secret>` (platform/activation.ts). */
const LinkToken = z.string().min(1).max(200);
export const ActivateBody = z.object({ token: LinkToken, password: Password }).strict();
export const ImpersonateBody = z.object({ userId: id('user') }).strict();
export const ResetBody = z.object({ login: z.string().min(1).max(254) }).strict();
export const ConfirmResetBody = z.object({ token: LinkToken, password: Password }).strict();
export const ConfirmLoginBody = z.object({ token: LinkToken }).strict();
