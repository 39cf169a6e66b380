// Not a valid Relay document: EventTypeInfo is no Node, so a fragment on it cannot be refetched.
import { graphql } from '../graphql-tag';

export const eventTypeBadgeFragment = graphql`
  fragment EventTypeBadge_eventType on EventTypeInfo @refetchable(queryName: "EventTypeBadgeRefetchQuery") {
    key
    description
  }
`;
