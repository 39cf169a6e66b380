// Node loaders of the accounts module: what Query.node finds by the id of an account, a user or an API token.
import { In } from 'typeorm';
import { rowLoader, type NodeLoader } from '../../graphql/node';
import { ApiToken } from './api-token.entity';
import { isAdmin, User } from './user.entity';

export const accountNodeLoaders: NodeLoader[] = [
  // The viewer's own account only, as User.account shows it.
  rowLoader('Account', async (viewer, ids) => (ids.includes(viewer.account.id) ? [viewer.account] : [])),
  // Anyone in the viewer's account, as Account.users lists them.
  rowLoader('User', (viewer, ids, services) =>
    services.dataSource.getRepository(User).findBy({ id: In([...ids]), accountId: viewer.account.id }),
  ),
  // The viewer's own tokens; any token of the account for OWNER or ADMIN, as User.apiTokens shows them.
  rowLoader('ApiToken', async (viewer, ids, services) => {
    const query = services.dataSource
      .getRepository(ApiToken)
      .createQueryBuilder('token')
      .innerJoin(User, 'user', 'user.id = token.userId')
      .where('token.id IN (:...ids)', { ids })
      .andWhere('user.accountId = :accountId', { accountId: viewer.account.id });
    if (!isAdmin(viewer.user.role)) query.andWhere('token.userId = :userId', { userId: viewer.user.id });
    return query.getMany();
  }),
];
