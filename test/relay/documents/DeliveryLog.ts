// The delivery log read backward from its oldest end, newer pages with last/before.
import { graphql } from '../graphql-tag';

export const deliveryLogQuery = graphql`
  query DeliveryLogQuery($stackId: ID!, $status: DeliveryStatus) {
    stack(id: $stackId) {
      ...DeliveryLog_stack @arguments(status: $status)
    }
  }
`;

export const deliveryLogFragment = graphql`
  fragment DeliveryLog_stack on Stack
  @refetchable(queryName: "DeliveryLogPaginationQuery")
  @argumentDefinitions(
    last: { type: "Int", defaultValue: 20 }
    before: { type: "String" }
    status: { type: "DeliveryStatus" }
  ) {
    id
    deliveries(last: $last, before: $before, status: $status)
      @connection(key: "DeliveryLog_deliveries", filters: ["status"]) {
      edges {
        node {
          id
          channel
          target
          status
          attemptCount
          notification {
            id
            title
          }
        }
      }
    }
  }
`;
