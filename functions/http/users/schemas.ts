import * as z from 'zod/mini';
import { ACCOUNT_TYPES, LOCALES, LOGIN_OUTCOMES, ROLES, USER_STATUSES } from '#domain/accounts.ts';
import { AccountId, Address, Email, id, Locale, Name, Pagination, Password, SupportContactView } from '../schemas.ts';

/**
 * The contract of portal users, the own profile and sign-in (docs/product.md#portal-users, docs/product.md#auth-and-self, docs/product.md#accounts-and-users): the bodies the
 * routes take and the answers they give. Statuses and roles come from domain/accounts.ts.
 */
export const UserId = id('user');
export const Phone = z.string().check(z.trim(), z.regex(/^\+?[0-9 ()./-]{4,30}$/, 'must be a phone number'));
export const Role = z.enum(ROLES);
export const UserStatus = z.enum(USER_STATUSES);

/** The editable profile of a user, shared by PATCH /v1/users/{id} and PATCH /v1/me. */
export const EditUserBody = z
  .strictObject({
    firstName: z.optional(Name),
    lastName: z.optional(Name),
    login: z.optional(Email),
    notificationEmail: z.optional(z.nullable(Email)),
    role: z.optional(Role),
    locale: z.optional(Locale),
    phone: z.optional(z.nullable(Phone)),
    address: z.optional(z.nullable(Address)),
  })
  .check(z.refine((b) => Object.keys(b).length > 0, 'give at least one field to change'));

export const NewUserBody = z
  .strictObject({
    firstName: Name,
    lastName: Name,
    login: Email,
    notificationEmail: z.optional(Email),
    role: Role,
    locale: z.optional(Locale),
    phone: z.optional(Phone),
    address: z.optional(Address),
    password: z.optional(Password),
  });

export const ListUsersQuery = z.strictObject({
  status: z.optional(UserStatus),
  role: z.optional(Role),
  q: z
    .optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(100)))
    .check(z.describe('Words of the first name, last name or login, each found without case and accents (trimmed, 1 to 100 characters)')),
  ...Pagination,
});

export const AddUsersBody = z.strictObject({ users: z.array(NewUserBody).check(z.minLength(1), z.maxLength(50)), sendActivationEmail: z.boolean() });

/** A postal address as the API answers it (the request's `Address`, without its trimming). */
export const AddressView = z.object({
  line1: z.string(),
  line2: z.optional(z.string()),
  city: z.string(),
  postalCode: z.string(),
  state: z.optional(z.string()),
  country: z.string().check(z.regex(/^[A-Z]{2}$/)),
});

const Timestamp = z.iso.datetime({ offset: true });

const exampleUser = {
  id: 'usr_01JD6W2V9Q4X8M3N5P7R2T4Y6Z',
  accountId: 'acc_01JD6W1K3M5N7P9Q2R4S6T8V0W',
  firstName: 'Ada',
  lastName: 'Lovelace',
  login: 'ada@contoso.example',
  notificationEmail: 'ada@contoso.example',
  role: 'admin' as const,
  status: 'ready' as const,
  locale: 'en' as const,
  phone: '+44 20 7946 0958',
  address: { line1: '12 Analytical Row', city: 'London', postalCode: 'EC1A 1BB', country: 'GB' },
  createdAt: '2026-11-02T09:14:05.118Z',
  lastLoginAt: '2026-12-01T08:02:44.501Z',
  version: 4,
};

export const UserSchema = z
  .object({
    id: UserId,
    accountId: AccountId,
    firstName: z.string(),
    lastName: z.string(),
    login: z.string().check(z.describe('The sign-in name, an email address')),
    notificationEmail: z.string().check(z.describe('Where emails go: the login unless another address is set')),
    role: Role,
    status: UserStatus,
    locale: z.enum(LOCALES),
    phone: z.nullable(z.string()),
    address: z.nullable(AddressView),
    createdAt: Timestamp,
    lastLoginAt: z.nullable(Timestamp),
    version: z.number().check(z.int(), z.describe('Increases with every change; answered as the ETag, sent back in If-Match')),
  })
  .register(z.globalRegistry, { id: 'User', description: 'A portal user of an account (never a password or a link)', examples: [exampleUser] });

export const LoginEventSchema = z
  .object({
    at: Timestamp,
    outcome: z.enum(LOGIN_OUTCOMES),
    ip: z.nullable(z.string()),
    userAgent: z.nullable(z.string()),
    actor: z.nullable(UserId).check(z.describe('The admin who logged in as this user, for a "log in as"')),
  })
  .register(z.globalRegistry, {
    id: 'LoginEvent',
    description: 'A sign-in attempt on a user, kept 400 days',
    examples: [{ at: '2026-12-01T08:02:44.501Z', outcome: 'success', ip: '203.0.113.24', userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)', actor: null }],
  });

export const SessionSchema = z
  .object({
    accessToken: z.string().check(z.describe('A JWT for the Authorization header, valid 15 minutes')),
    refreshToken: z.string().check(z.describe('Spend once at POST /v1/auth/refresh for a new pair')),
    expiresAt: Timestamp.check(z.describe('When the access token expires')),
    user: UserSchema,
  })
  .register(z.globalRegistry, {
    id: 'Session',
    description: 'The tokens of a session and whose they are',
    examples: [
      {
        accessToken: 'eyJhbGciOiJIUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJ1c3JfMDFKRDZXMlY5UTRYOE0zTjVQN1IyVDRZNloifQ.2mB8yq1q3JdGk0Qm7tYB6S9v8fP0cV3xH5n1r2s4t6U',
        refreshToken: 'q3Vt5mQ0kP8sW2yZ6bN1cX4vL7jH9gF3dS5aR8eT0uI',
        expiresAt: '2026-12-01T08:17:44.000Z',
        user: exampleUser,
      },
    ],
  });

export const MeSchema = z.extend(UserSchema, {
  accountType: z.enum(ACCOUNT_TYPES),
  actingAs: z.nullable(z.object({ actorUserId: UserId })).check(z.describe('Set under "log in as": the real person')),
  support: z.nullable(SupportContactView).check(z.describe("Who the user turns to for help: the account's own support contact, else the nearest one above it; null when none is set")),
}).register(z.globalRegistry, {
  id: 'Me',
  description: 'The signed-in user, with its account type, its support contact and, under "log in as", the real person',
  examples: [
    {
      ...exampleUser,
      accountType: 'customer',
      actingAs: null,
      support: { email: 'support@distributor.example.com', phone: '+49 40 1234 5678', url: 'https://support.distributor.example.com' },
    },
  ],
});

export const MyLicenseSchema = z
  .object({
    subscriptionId: id('subscription'),
    productId: id('product'),
    name: z.string(),
    sku: z.string(),
    status: z.string(),
    domain: z.string(),
    assignedAt: Timestamp,
    currentTermEnd: z.nullable(z.string()),
  })
  .register(z.globalRegistry, {
    id: 'MyLicense',
    description: 'A license of a subscription assigned to the signed-in user',
    examples: [
      {
        subscriptionId: 'sub_01JD7A2B3C4D5E6F7G8H9J0K1M',
        productId: 'prd_01JD1M365BUS1NESSPREM1UM00',
        name: 'Microsoft 365 Business Premium',
        sku: 'M365-BP',
        status: 'active',
        domain: 'contoso.onmicrosoft.com',
        assignedAt: '2026-11-03T10:00:00.000Z',
        currentTermEnd: '2027-11-02',
      },
    ],
  });

export const PasswordResetRequestedSchema = z
  .object({ message: z.string() })
  .register(z.globalRegistry, { id: 'PasswordResetRequested', description: 'A reset asked for: the same answer whatever the login', examples: [{ message: 'If this login exists, a link to reset its password is on its way.' }] });

export const UsersCreatedSchema = z
  .object({ items: z.array(UserSchema) })
  .register(z.globalRegistry, { id: 'UsersCreated', description: 'The users a bulk add created, in the order given', examples: [{ items: [{ ...exampleUser, status: 'not_activated', lastLoginAt: null, version: 1 }] }] });
