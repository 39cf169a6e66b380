// One notification of the history, refetched on its own through Query.node.
import { graphql } from '../graphql-tag';

export const notificationRowFragment = graphql`
  fragment NotificationRow_notification on Notification
  @refetchable(queryName: "NotificationRowRefetchQuery") {
    id
    title
    eventType
    read
    createdAt
  }
`;
