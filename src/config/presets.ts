/**
 * Vendors' standard export names. A preset fills tickets.columns, priorities, the policies'
 * pause_on (where a policy has none) and the resolved statuses; the user's own keys win.
 */
import type { CanonicalField } from './schema.js';

export interface Preset {
  columns: Partial<Record<CanonicalField, string | string[]>>;
  priorities: Record<string, string[]>;
  pauseOn: string[];
  resolved: string[];
  firstResponseStatuses?: string[];
  timestampFormat?: string;
  nullValues?: string[];
  /** where the names come from, for README and init */
  source: string;
}

export const PRESET_DATA: Record<string, Preset> = {
  zendesk: {
    source: 'Zendesk Support CSV export (Admin Center > Account > Tools > Reports > Export) and Explore ticket reports',
    columns: {
      id: 'Id', created_at: 'Created at', resolved_at: 'Solved at', priority: 'Priority', status: 'Status',
      channel: 'Via', category: 'Ticket type', team: 'Group', agent: 'Assignee', customer: ['Requester id', 'Requester'],
      subject: 'Subject', satisfaction: 'Satisfaction Score', updated_at: 'Updated at',
      first_response_minutes: 'First reply time in minutes within business hours',
    },
    priorities: { P1: ['Urgent'], P2: ['High'], P3: ['Normal'], P4: ['Low'] },
    pauseOn: ['Pending', 'On-hold'],
    resolved: ['Solved', 'Closed'],
  },
  jira: {
    source: 'Jira Service Management issue navigator "Export CSV (all fields)"',
    columns: {
      id: 'Issue key', created_at: 'Created', resolved_at: 'Resolved', priority: 'Priority', status: 'Status',
      first_response_at: 'Custom field ([CHART] Date of First Response)', category: 'Custom field (Request Type)',
      agent: 'Assignee', customer: 'Reporter', subject: 'Summary', description: 'Description', updated_at: 'Updated',
      satisfaction: 'Satisfaction rating',
    },
    priorities: { P1: ['Highest', 'Blocker', 'Critical'], P2: ['High', 'Major'], P3: ['Medium'], P4: ['Low', 'Lowest', 'Minor', 'Trivial'] },
    pauseOn: ['Waiting for customer', 'Pending'],
    resolved: ['Resolved', 'Done', 'Closed', 'Canceled', 'Cancelled'],
    timestampFormat: 'dd/MMM/yy hh:mm a',
  },
  servicenow: {
    source: 'ServiceNow incident list export (CSV) and the incident audit/event log',
    columns: {
      id: 'number', created_at: 'opened_at', resolved_at: 'resolved_at', priority: 'priority', status: ['incident_state', 'state'],
      channel: 'contact_type', category: 'category', team: 'assignment_group', agent: 'assigned_to', customer: 'caller_id',
      subject: 'short_description', description: 'description', updated_at: ['sys_updated_on', 'sys_updated_at'],
      sequence: 'sys_mod_count',
    },
    priorities: { P1: ['1 - Critical'], P2: ['2 - High'], P3: ['3 - Moderate'], P4: ['4 - Low'], P5: ['5 - Planning'] },
    pauseOn: ['Awaiting User Info', 'Awaiting Caller', 'Awaiting Problem', 'Awaiting Vendor', 'Awaiting Evidence', 'Awaiting Change', 'On Hold'],
    resolved: ['Resolved', 'Closed', 'Canceled', 'Cancelled'],
    firstResponseStatuses: ['Active', 'In Progress'],
    nullValues: ['', '?'],
  },
  freshdesk: {
    source: 'Freshdesk ticket export (Tickets > Export, CSV)',
    columns: {
      id: 'Ticket ID', created_at: 'Created time', first_response_at: 'Initial response time', resolved_at: 'Resolved time',
      priority: 'Priority', status: 'Status', channel: 'Source', category: 'Type', team: 'Group', agent: 'Agent',
      customer: ['Contact ID', 'Requester email'], subject: 'Subject', updated_at: 'Last update time',
    },
    priorities: { P1: ['Urgent'], P2: ['High'], P3: ['Medium'], P4: ['Low'] },
    pauseOn: ['Pending', 'Waiting on Customer', 'Waiting on Third Party'],
    resolved: ['Resolved', 'Closed'],
  },
};

export const DEFAULT_RESOLVED_STATUSES = ['resolved', 'solved', 'closed', 'done', '已解决', '已关闭'];
