// A stack's header, refetched on its own through Query.node, and a stack looked up by id.
import { graphql } from '../graphql-tag';

export const stackHeaderFragment = graphql`
  fragment StackHeader_stack on Stack @refetchable(queryName: "StackHeaderRefetchQuery") {
    id
    name
    environment
    unreadCount
  }
`;

export const stackHeaderNodeQuery = graphql`
  query StackHeaderNodeQuery($id: ID!) {
    node(id: $id) {
      id
      ...StackHeader_stack @alias
    }
  }
`;
