import { describe, expect, it } from 'vitest'
import { InvalidJobNameError } from './errors.js'
import { normalizeJobName } from './normalize-job-name.js'

describe('normalizeJobName', () => {
  it.each([
    ['send-welcome-email', 'SendWelcomeEmailJob'],
    ['send_welcome_email', 'SendWelcomeEmailJob'],
    ['sendWelcomeEmail', 'SendWelcomeEmailJob'],
    ['SendWelcomeEmail', 'SendWelcomeEmailJob'],
    ['SendWelcomeEmailJob', 'SendWelcomeEmailJob'],
    ['send-welcome-email-job', 'SendWelcomeEmailJob'],
    ['send_welcome_email_job', 'SendWelcomeEmailJob'],
    ['SEND_WELCOME_EMAIL', 'SendWelcomeEmailJob'],
    ['sendHTMLEmail', 'SendHTMLEmailJob'],
    ['send--welcome__email', 'SendWelcomeEmailJob'],
    ['_cleanup', 'CleanupJob'],
    ['cleanup-', 'CleanupJob'],
    ['x', 'XJob'],
    ['sync2fa', 'Sync2faJob'],
    ['v2-sync', 'V2SyncJob'],
    ['jobs', 'JobsJob'],
    ['indexSearch', 'IndexSearchJob'],
    ['deleteUser', 'DeleteUserJob'],
    ['a'.repeat(61), `A${'a'.repeat(60)}Job`],
  ])('%s → %s', (input, expected) => {
    expect(normalizeJobName(input)).toBe(expected)
  })

  it.each([
    ['', 'it is empty'],
    ['   ', 'it is empty'],
    ['2fa-reminder', 'it starts with a digit'],
    ['-2fa', 'it starts with a digit'],
    ['class', '"class" is a reserved word'],
    ['Delete', '"delete" is a reserved word'],
    ['new-job', '"new" is a reserved word'],
    ['await', '"await" is a reserved word'],
    ['index', '"index" is a reserved word'],
    ['IndexJob', '"index" is a reserved word'],
    ['Job', 'it is only the "Job" suffix; name what the job does'],
    ['job', 'it is only the "Job" suffix; name what the job does'],
    ['-job-', 'it is only the "Job" suffix; name what the job does'],
    ['emails/send', 'it contains a path separator; every job gets its own folder directly inside the jobs folder'],
    ['emails\\send', 'it contains a path separator; every job gets its own folder directly inside the jobs folder'],
    ['..', 'it contains "..", which would point outside the jobs folder'],
    ['../evil', 'it contains "..", which would point outside the jobs folder'],
    ['send welcome', 'it contains a space'],
    ['send\twelcome', 'it contains a space'],
    ['$send', 'it contains "$", which cannot be part of a job name'],
    ['send.email', 'it contains ".", which cannot be part of a job name'],
    ['envoyer-é', 'it contains "é", which cannot be part of a job name'],
    ['send;rm', 'it contains ";", which cannot be part of a job name'],
    ['---', 'it has no letters'],
    ['a'.repeat(65), 'it is longer than 64 characters'],
    ['a'.repeat(62), `"A${'a'.repeat(61)}Job" is longer than 64 characters`],
  ])('refuses %j: %s', (input, reason) => {
    let caught: unknown
    try {
      normalizeJobName(input)
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(InvalidJobNameError)
    const error = caught as InvalidJobNameError
    expect(error.code).toBe('INVALID_JOB_NAME')
    expect(error.reason).toBe(reason)
    expect(error.input).toBe(input)
    // Every refusal names the input, says why, and shows a valid example.
    expect(error.message).toContain(`"${input}"`)
    expect(error.message).toContain(reason)
    expect(error.advice).toContain('"SendWelcomeEmail"')
  })
})
