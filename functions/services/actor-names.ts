import * as userRepo from '#data/users.ts';

/**
 * Who acted, by name (an order's status history, the audit trail): the names are read when an
 * answer is made, not stored with what they name, so rows written before names were shown get
 * them too and a renamed person shows under today's name. One answer (one order, one page) asks
 * once, for the distinct users it mentions; a user deleted since is named `null`.
 */
export interface ActorNameDeps {
  users: Pick<typeof userRepo, 'userNames'>;
}

/** A user id's "First Last"; `null` for a user no longer there. */
export type ActorNames = (userId: string) => string | null;

/** No user to name: what an answer that mentions nobody uses, without a read. */
export const NO_NAMES: ActorNames = () => null;

export function makeActorNames(deps: ActorNameDeps) {
  return {
    /** The names of the users among `ids` (undefined entries, a system actor, are skipped); one read, none when there is nobody to name. */
    async namesOf(ids: Iterable<string | null | undefined>): Promise<ActorNames> {
      const wanted = [...new Set([...ids].filter((id): id is string => typeof id === 'string' && id.startsWith('usr_')))];
      if (!wanted.length) return NO_NAMES;
      const names = await deps.users.userNames(wanted);
      return (id) => names.get(id) ?? null;
    },
  };
}

export type ActorNameService = ReturnType<typeof makeActorNames>;

export const actorNames = makeActorNames({ users: userRepo });
