// A notification history read both ways: older pages with first/after, newer ones with last/before.
import { graphql } from '../graphql-tag';

export const notificationHistoryQuery = graphql`
  query NotificationHistoryQuery($stackId: ID!) {
    stack(id: $stackId) {
      ...NotificationHistory_stack
    }
  }
`;

export const notificationHistoryFragment = graphql`
  fragment NotificationHistory_stack on Stack
  @refetchable(queryName: "NotificationHistoryPaginationQuery")
  @argumentDefinitions(
    first: { type: "Int", defaultValue: 20 }
    after: { type: "String" }
    last: { type: "Int" }
    before: { type: "String" }
    eventTypes: { type: "[EventType!]" }
  ) {
    id
    name
    unreadCount
    notifications(first: $first, after: $after, last: $last, before: $before, eventTypes: $eventTypes)
      @connection(key: "NotificationHistory_notifications", filters: ["eventTypes"]) {
      edges {
        node {
          id
          ...NotificationRow_notification
        }
      }
    }
  }
`;
