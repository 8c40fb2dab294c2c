// The one CloudWatch Logs operation logship needs: a page of FilterLogEvents.
// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html
import type { AwsClients } from "./clients.js";

export interface LogEventsPage {
  events: { timestamp: number; stream: string; message: string; eventId?: string }[];
  nextToken?: string;
}

export interface FilterInput {
  group: string;
  startTime: number;
  filterPattern?: string;
  nextToken?: string;
}

/** One page of events (a missing group's ResourceNotFoundException goes up for the caller to explain). */
export async function filterLogEvents(aws: AwsClients, i: FilterInput, signal?: AbortSignal): Promise<LogEventsPage> {
  const { FilterLogEventsCommand } = await import("@aws-sdk/client-cloudwatch-logs");
  const input = { logGroupName: i.group, startTime: i.startTime, filterPattern: i.filterPattern, nextToken: i.nextToken };
  const out = await (await aws.logs()).send(new FilterLogEventsCommand(input), signal ? { abortSignal: signal } : undefined);
  return {
    events: (out.events ?? []).map((e) => ({
      timestamp: e.timestamp ?? e.ingestionTime ?? 0,
      stream: e.logStreamName ?? "",
      message: e.message ?? "",
      eventId: e.eventId,
    })),
    nextToken: out.nextToken,
  };
}
