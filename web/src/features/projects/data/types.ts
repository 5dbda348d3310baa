import type { components } from '@/api/schema'

type Schemas = components['schemas']

/** A project as the API returns it. */
export type Project = Schemas['Project']
/** Body of POST /orgs/{org_id}/projects. */
export type ProjectCreate = Schemas['ProjectCreate']
/** Body of PATCH /orgs/{org_id}/projects/{project_id}: only the changed fields. */
export type ProjectUpdate = Schemas['ProjectUpdate']
/** Someone on a project. */
export type ProjectMember = Schemas['ProjectMember']
/** A reusable project skeleton. */
export type Template = Schemas['Template']
/** One entry of the activity feed. */
export type Activity = Schemas['Activity']
/** A client with its projects and recent activity. */
export type ClientOverview = Schemas['ClientOverview']
