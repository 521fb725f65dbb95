//! The templates that ship with Debrief, each written in this project's own words.

use super::{Part, Section, Template, TemplateId};

/// Every built-in template, in the order the chooser shows them.
pub fn all() -> Vec<Template> {
    vec![lightweight(), google_sre(), pagerduty(), atlassian(), learning_review(), security()]
}

/// The built-in template `id`.
pub fn find(id: &TemplateId) -> Option<Template> {
    all().into_iter().find(|t| &t.id == id)
}

/// The id of the template offered first.
pub const DEFAULT: &str = "lightweight";

const REQUIRED: bool = true;
const OPTIONAL: bool = false;

/// One section. A single helper keeps the many texts below from costing code size.
fn s(key: &str, title: &str, required: bool, part: Part, prompt: &str, help: &str, example: &str) -> Section {
    Section {
        key: key.to_owned(),
        title: title.to_owned(),
        required,
        part,
        prompt: prompt.to_owned(),
        help: help.to_owned(),
        example: example.to_owned(),
    }
}

/// A built-in template at version 1.
fn t(id: &str, name: &str, description: &str, sections: Vec<Section>) -> Template {
    Template {
        id: TemplateId(id.to_owned()),
        name: name.to_owned(),
        description: description.to_owned(),
        version: 1,
        sections,
        checklist: crate::domain::model::template::builtin_checklist(),
    }
}

/// A short write-up for minor incidents and near misses.
fn lightweight() -> Template {
    t(
        "lightweight",
        "Lightweight (minor incidents)",
        "A short write-up for minor incidents and near misses: what happened, the impact, how it was resolved and what will change. Fifteen minutes of writing, not an afternoon.",
        vec![
            s(
                "summary",
                "What happened",
                REQUIRED,
                Part::Summary,
                "What happened, in two or three sentences a newcomer can follow?",
                "Describe the incident as a sequence of events and conditions, not as a list of who did what. Name roles rather than people, and give times and numbers where you have them.",
                "From 09:12 to 09:51 UTC the internal reports dashboard showed certificate warnings and most browsers refused to load it. The certificate had expired because the renewal job still pointed at a DNS zone that was retired in March.",
            ),
            s(
                "impact",
                "Impact",
                REQUIRED,
                Part::Impact,
                "What was affected, for how long, and how badly?",
                "Say who noticed and what they could not do, in numbers: users, requests, minutes, money. A small impact is worth stating plainly too; it makes incidents comparable later.",
                "About 60 people in finance and support could not open the dashboard for 39 minutes. No customer-facing service was affected and no data was lost; two weekly reports went out an hour late.",
            ),
            s(
                "resolution",
                "Resolution",
                REQUIRED,
                Part::Text,
                "What brought the service back, and is anything still temporary?",
                "Describe the steps that restored service and what told you they worked. Note any workaround still in place so that it gets a follow-up.",
                "The on-call engineer issued a certificate by hand at 09:48 and the dashboard loaded again by 09:51. The renewal job still points at the old zone, so the manual certificate is a stopgap until the job is moved.",
            ),
            s(
                "factors",
                "Contributing factors",
                OPTIONAL,
                Part::Factors,
                "Which conditions made this incident possible, or made it worse?",
                "List conditions in systems, tools and processes rather than a single root cause or one person's action. Ask what made each step reasonable at the time; that is usually where the factor sits.",
                "The renewal job reported success even when its DNS check was skipped. Expiry warnings went to a mailbox that the current on-call rota is not subscribed to.",
            ),
            s(
                "actions",
                "Follow-up",
                OPTIONAL,
                Part::Actions,
                "What will change so that this is less likely, or less harmful, next time?",
                "Keep each item small and checkable: what changes, where, and how you will know it worked. Give every item an owner and a due date; 'be more careful' is a wish, not an action.",
                "Move the renewal job to the current DNS zone (repair, platform team, this week). Page the on-call rota 14 days before any certificate expires (detect, P2).",
            ),
        ],
    )
}

/// The format popularised by the site reliability engineering book.
fn google_sre() -> Template {
    t(
        "google-sre",
        "SRE book style",
        "The full format popularised by site reliability engineering teams: impact, contributing factors and trigger, detection, resolution, typed action items, lessons and a detailed timeline. Use it for significant outages and anything that used up error budget.",
        vec![
            s(
                "summary",
                "Summary",
                REQUIRED,
                Part::Summary,
                "What happened, how large was it, and how did it end, in a short paragraph?",
                "Write for a reader who was not there: what broke, for how long, how many were affected and what restored service. Keep verdicts out; describe events and conditions.",
                "On 14 May from 13:02 to 13:49 UTC, 38% of checkout requests returned HTTP 503 after a routing configuration with an empty region list reached every region at once. Service recovered when the previous configuration was restored.",
            ),
            s(
                "impact",
                "Impact",
                REQUIRED,
                Part::Impact,
                "What did users and the business experience, in numbers?",
                "Quantify it: affected users or requests, duration, revenue, error budget, support tickets. Keep what was measured apart from what is estimated.",
                "About 41,000 checkout attempts returned an error over 47 minutes; an estimated 9,000 orders were not retried. The quarter's checkout error budget went from 62% remaining to 19%. Support received 310 tickets.",
            ),
            s(
                "factors",
                "Contributing factors",
                REQUIRED,
                Part::Factors,
                "Which conditions, together, allowed the trigger to turn into an outage?",
                "Outages in complex systems rarely have one root cause: list each condition that had to be present, in systems, tools and processes. For each, ask what made it normal beforehand, and keep going past any person's action to the conditions around it.",
                "The config validator accepted an empty region list. Routing configuration rolled out to all regions in one step, while binaries go through a canary. The dashboard used to watch rollouts showed latency, not error rate.",
            ),
            s(
                "trigger",
                "Trigger",
                OPTIONAL,
                Part::Text,
                "What event set the latent conditions in motion?",
                "Name the change, load or event that started the incident and what it was meant to do. A trigger is not a cause on its own: it meets conditions that were already there.",
                "A routine change at 13:01 UTC removed a retired region from the routing configuration. Because the retired region was the last entry, the templating step rendered the list as empty.",
            ),
            s(
                "resolution",
                "Resolution",
                REQUIRED,
                Part::Text,
                "What did responders do to mitigate and then resolve the incident, and what told them it worked?",
                "Describe the steps in order, including options considered and set aside, and the signals that showed recovery. Record decisions with what was known at that moment, not what became known later.",
                "At 13:31 UTC the incident commander chose to restore the previous configuration rather than patch the list, because the rollback path had been rehearsed the week before. Error rates were under 0.1% in all regions by 13:49.",
            ),
            s(
                "detection",
                "Detection",
                OPTIONAL,
                Part::Text,
                "How did the team learn about the incident, and how long did that take?",
                "Say which signal fired or which report arrived, when, and how long after impact began. If detection took a while, describe what the monitoring covered at the time.",
                "The checkout error-rate alert paged the on-call engineer at 13:09 UTC, seven minutes after impact began; the alert waits five minutes so that brief spikes do not page. A support escalation arrived at 13:12.",
            ),
            s(
                "actions",
                "Action items",
                REQUIRED,
                Part::Actions,
                "What will be done, by which team and by when, so that this kind of incident is prevented, mitigated, detected or repaired faster?",
                "Give each item a type: prevent, mitigate, detect or repair for changes to systems; process for changes to how people work together; investigate for an open question with a scope and a date. Each item needs an owner and a priority, and is specific enough to close.",
                "Reject routing configs with an empty region list in the validator (prevent, P1, payments platform). Roll routing configs out through the same canary as binaries (mitigate, P1). Add checkout error rate to the rollout dashboard (detect, P2).",
            ),
            s(
                "lessons",
                "Lessons learned",
                OPTIONAL,
                Part::Lessons,
                "What went well, what went wrong, and where did we get lucky?",
                "Fill all three lists. What went well is worth keeping on purpose; what went wrong describes conditions, not people; where we got lucky names what limited the damage by chance and will not be there next time.",
                "Went well: the rollback took four minutes because it had been rehearsed. Went wrong: the validator had no test for empty lists. Got lucky: the change landed two hours before the evening sales peak.",
            ),
            s(
                "timeline",
                "Timeline",
                REQUIRED,
                Part::Timeline,
                "What happened, minute by minute, from the first change to full recovery?",
                "Record observations, actions, decisions and messages with timestamps and a time zone, and link evidence such as graphs and chat logs. Write what people saw and knew at each moment.",
                "13:01 UTC routing config change rolls out to all regions. 13:02 checkout 503s begin. 13:09 error-rate alert pages the on-call engineer. 13:31 decision to restore the previous config. 13:49 error rate under 0.1%.",
            ),
            s(
                "supporting-information",
                "Supporting information",
                OPTIONAL,
                Part::Text,
                "Which graphs, logs, documents and discussions back up this account?",
                "Link the evidence a reader would want to check: dashboards, log queries, chat threads, tickets, related postmortems. Add a line on what each link shows.",
                "Checkout error-rate graph for 12:45 to 14:00 UTC, showing the step at 13:02. Export of the incident channel. The change request for the region removal. Last year's postmortem on an empty-list config in the search service.",
            ),
        ],
    )
}

/// A review oriented to response and communication, grouped for follow-through.
fn pagerduty() -> Template {
    t(
        "pagerduty",
        "PagerDuty style",
        "A review centred on the response: what happened, contributing factors, responders, what went well and what did not, action items grouped for follow-through, and the internal and external messages. Suits teams with formal on-call and incident command.",
        vec![
            s(
                "summary",
                "Overview",
                REQUIRED,
                Part::Summary,
                "What is the short account of this incident for someone deciding whether to read on?",
                "Two to four sentences: what users saw, for how long, the severity, and how it ended. Leave the analysis to the sections below.",
                "For 35 minutes on 3 June, product search returned errors for about half of all queries after a planned database failover. Severity 2. Service recovered once the search service connected to the new primary.",
            ),
            s(
                "what-happened",
                "What happened",
                REQUIRED,
                Part::Text,
                "How did the incident unfold, from the first sign to the end?",
                "Tell the story in order: what responders saw, what they tried, what they decided and on what basis. Describe each action as it looked at the time, without hindsight words such as 'obviously' or 'should have'.",
                "At 10:04 a planned failover promoted the replica in zone B. The search service kept its connection to the old primary, now read-only, so writes to the query log timed out and held up every query. The on-call engineer saw a healthy database and an erroring search service, and paged the database team at 10:18.",
            ),
            s(
                "factors",
                "Contributing factors",
                REQUIRED,
                Part::Factors,
                "Which conditions made this incident possible, or made it last longer?",
                "List several factors across technology, process and organisation; there is rarely a single cause. Ask what made each condition normal before the incident rather than who allowed it.",
                "The search service resolves the database address once at start-up. The failover runbook lists the services to restart but predates search moving to this database. The query log write sits on the request path, so a slow write delays the search.",
            ),
            s(
                "resolution",
                "Resolution",
                REQUIRED,
                Part::Text,
                "What restored service, and how was recovery confirmed?",
                "Describe the mitigation and the fix separately if they differed, and the signal that showed recovery. Record any step that is still manual or temporary.",
                "At 10:36 the database on-call engineer restarted the search pods, which picked up the new primary. The search error rate fell below 0.5% by 10:39 and the query log backlog drained by 11:00.",
            ),
            s(
                "impact",
                "Impact",
                REQUIRED,
                Part::Impact,
                "What did customers and internal teams experience, and how much?",
                "Give numbers: share of requests affected, duration, customers or accounts affected, tickets raised, contractual credits. Say which figures are estimates.",
                "About 52% of search queries returned an error between 10:04 and 10:39. Browsing by category kept working. Customers raised 74 support tickets; no service credits are due.",
            ),
            s(
                "people",
                "Responders",
                OPTIONAL,
                Part::Participants,
                "Which roles took part in the response, and what did each do?",
                "List responders with their roles (incident commander, scribe, subject-matter experts, communications lead) and when each joined. An export can replace names with these roles.",
                "Incident commander, joined 10:15. On-call search engineer, primary responder from 10:07. Database on-call engineer, paged 10:18. Support lead, status page and tickets from 10:20.",
            ),
            s(
                "went-well",
                "What went well",
                OPTIONAL,
                Part::WentWell,
                "What helped the response and is worth keeping?",
                "Name the practices, tools and decisions that helped, so they are kept on purpose. Be specific: 'the failover dashboard showed the new primary within a minute' teaches more than 'good teamwork'.",
                "The status page was updated six minutes after the first page. The database team's failover dashboard showed the new primary at a glance, which narrowed the investigation within minutes.",
            ),
            s(
                "went-wrong",
                "What didn't go so well",
                OPTIONAL,
                Part::WentWrong,
                "What made the response harder or slower than it needed to be?",
                "Describe obstacles in tools, information and coordination rather than anyone's performance. 'The runbook did not list the search service' is useful; 'the responder missed a step' is not.",
                "Fourteen minutes passed before the database team was paged, because the search alerts pointed at the search service itself. The restart list in the failover runbook was out of date.",
            ),
            s(
                "actions",
                "Action items",
                REQUIRED,
                Part::Actions,
                "What will be done to prevent a repeat, to be better prepared, and to change how we work together?",
                "Items fall into three groups. Prevention: items of type Prevent. Preparedness, to detect, mitigate and repair faster next time: types Detect, Mitigate, Repair and Investigate. Process, for how people work together: type Process. Each item needs an owner, a priority and a due date.",
                "Prevention: the search service resolves the database address again after connection errors. Preparedness: page the database rota when search write timeouts coincide with a failover. Process: generate the runbook's restart list from the service catalogue.",
            ),
            s(
                "internal-message",
                "Internal message",
                OPTIONAL,
                Part::Text,
                "What will the rest of the company be told about this incident?",
                "A short, plain note for colleagues outside the response: what happened, the impact, the current state and the main follow-ups. Keep it as blameless as the postmortem itself.",
                "On 3 June product search returned errors for about half of all queries for 35 minutes after a planned database failover. Service is fully restored. Follow-ups cover how search finds its database after a failover and how we alert on it; the full review is linked below.",
            ),
            s(
                "external-message",
                "External message",
                OPTIONAL,
                Part::Text,
                "What will customers be told, if anything?",
                "Write for customers: what they experienced, when, that it is resolved and what is being done, without internal names or jargon. Agree it with the people responsible for customer communication before it goes out.",
                "On 3 June between 10:04 and 10:39 UTC, some searches in our store returned an error. Browsing and checkout were unaffected. The cause was a database maintenance step, and we are changing how our search service reconnects to prevent a repeat.",
            ),
        ],
    )
}

/// A step-by-step review from leadup to recovery, with five whys.
fn atlassian() -> Template {
    t(
        "atlassian",
        "Atlassian style",
        "A structured review that walks from leadup and fault through detection, response and recovery, then digs under each contributing factor with five whys. Good for teams that want the same step-by-step shape every time.",
        vec![
            s(
                "leadup",
                "Leadup",
                OPTIONAL,
                Part::Text,
                "What circumstances and changes led up to the incident?",
                "Describe the changes, decisions and conditions in the days or weeks before, as they looked then. Nothing here needs to have been wrong; it sets the scene.",
                "In February the credentials the certificate renewal job uses to prove domain ownership were rotated as part of a scheduled secrets rotation. The job's configuration lived in a separate repository and kept the old credentials.",
            ),
            s(
                "fault",
                "Fault",
                REQUIRED,
                Part::Text,
                "What did the system do that it was not expected to do?",
                "Describe the technical behaviour that produced the incident: what the system did, not who set it up. Include the relevant error messages, logs or graphs.",
                "From 3 March every renewal attempt was refused by the certificate authority, and each run exited without a new certificate. The job still exited with status 0, so no alert fired. The public API certificate expired on 2 April at 08:00 UTC.",
            ),
            s(
                "impact",
                "Impact",
                REQUIRED,
                Part::Impact,
                "Which customers and systems were affected, how, and for how long?",
                "State the duration, the features affected and the number of customers, requests or support cases. Include internal impact such as blocked deploys.",
                "For 2 hours 14 minutes every client that validates certificates was unable to call the public API: about 1.2 million requests were rejected and 180 integration customers were affected. People using the web app were unaffected.",
            ),
            s(
                "detection",
                "Detection",
                REQUIRED,
                Part::Text,
                "When and how did the team find out, and what made detection take as long as it did?",
                "Give the time of first detection, the signal or report, and the gap from the start of impact. Describe what the monitoring covered at the time and what it did not show.",
                "A customer reported TLS handshake errors through the support portal at 08:21 UTC, and support escalated to the API on-call engineer at 08:40. No alert watched certificate expiry for this endpoint.",
            ),
            s(
                "response",
                "Response",
                OPTIONAL,
                Part::Text,
                "Which roles responded, what did they do, and what got in their way?",
                "Describe the response in order, including hypotheses that were tested and set aside, and any delay in reaching the right people or access. Use roles, not names.",
                "The API on-call engineer first suspected a load balancer change from the day before and spent 25 minutes checking it. At 09:10 a platform engineer ran a certificate check against the endpoint and saw the expiry date. Issuing a certificate needed an approver from the security team, reached at 09:40.",
            ),
            s(
                "resolution",
                "Recovery",
                REQUIRED,
                Part::Text,
                "How was service restored, and when did the incident end?",
                "Describe the steps that restored service, how recovery was confirmed, and any temporary measure still in place.",
                "The platform engineer issued a certificate by hand with the new credentials and deployed it to the load balancers at 10:08 UTC. Error rates were back to normal by 10:14, confirmed by synthetic checks from three regions.",
            ),
            s(
                "timeline",
                "Timeline",
                REQUIRED,
                Part::Timeline,
                "What happened when, from the leadup to full recovery?",
                "List timestamped events with a time zone: changes, alerts, observations, decisions and messages. Record what responders knew at each point, and link the evidence.",
                "08:00 UTC certificate expires; API clients start rejecting connections. 08:21 first customer report. 08:40 on-call engineer paged. 09:10 expiry identified. 10:08 new certificate deployed. 10:14 error rates normal.",
            ),
            s(
                "whys",
                "Five whys",
                OPTIONAL,
                Part::Whys,
                "For each contributing factor, what lay beneath it, and beneath that?",
                "The whys are written under each contributing factor: ask what made that condition possible, then ask again, about five levels down. When an answer reaches a person's action, keep going to the conditions around it (tools, information, time pressure, goals) instead of stopping there.",
                "Factor: the certificate expired unnoticed. Beneath it: the renewal job exited successfully without renewing. Beneath that: the job treated a refusal from the certificate authority as 'nothing to renew'. Beneath that: the job was written for an earlier provider that returned an empty answer when no renewal was due. Beneath that: the job has had no owning team since a reorganisation last year.",
            ),
            s(
                "actions",
                "Action items",
                OPTIONAL,
                Part::Actions,
                "Which changes will address the causes found, and which team owns each?",
                "Link each item to a cause from the whys where you can. Make items specific and checkable, each with an owner, a priority and a due date.",
                "Make the renewal job exit with an error when the certificate authority refuses a renewal (prevent, P1). Alert 21 days before any public certificate expires (detect, P1). Assign the renewal job to the platform team in the service catalogue (process, P2).",
            ),
        ],
    )
}

/// A narrative-first review in the spirit of facilitated debriefing guides.
fn learning_review() -> Template {
    t(
        "learning-review",
        "Learning review",
        "A narrative-first review in the spirit of facilitated debriefs: it gathers how the incident looked to the people in it, what made sense at the time and what surprised them. Use it when understanding matters more than a list of fixes.",
        vec![
            s(
                "narrative",
                "Narrative",
                REQUIRED,
                Part::Text,
                "How did the incident unfold, as told from the points of view of the people involved?",
                "Build the story from conversations and chat logs: what each role noticed, what they were trying to do and what they knew at each point. Accounts that do not agree are fine; set them side by side.",
                "The platform engineer running the cache migration saw hit rates fall as the plan predicted for the first ten minutes. Meanwhile the identity on-call engineer, paged for slow logins and seeing no recent deploys to the login service, started with the database. The two threads met at 15:40, when the platform engineer mentioned the migration in the incident channel.",
            ),
            s(
                "timeline",
                "Timeline",
                OPTIONAL,
                Part::Timeline,
                "What happened when, including what people saw and said?",
                "Use the timeline to anchor the narrative: observations, actions, decisions and conversations, with times. Include moments of uncertainty, not only the steps that turned out to matter.",
                "15:02 cache migration starts. 15:11 login latency alert. 15:14 identity on-call engineer begins checking the database. 15:40 migration mentioned in the incident channel. 15:44 migration paused. 15:52 latency back to normal.",
            ),
            s(
                "made-sense",
                "What made sense at the time",
                REQUIRED,
                Part::Text,
                "What made each key action or decision reasonable to the people taking it, given what they knew then?",
                "People do what makes sense to them in the moment. For each key point describe their goals, the information in front of them and the pressures they faced; an action that looks odd now is where to look closer, not where to stop.",
                "The migration plan predicted a drop in hit rate, so the falling graph looked like progress to the platform engineer. The identity on-call engineer's dashboards showed database load rising, which matched the most common cause of slow logins over the past year.",
            ),
            s(
                "surprises",
                "Surprises",
                REQUIRED,
                Part::Text,
                "What surprised the people involved, and what does that reveal about how the system works?",
                "Surprises mark gaps between how people believed the system worked and how it does. Record each in the words of the person surprised, without judging whether they ought to have known.",
                "The login service reads the session cache on every request, not only for returning users; the identity team had not seen this documented anywhere. The migration tool warmed keys in alphabetical order rather than by traffic.",
            ),
            s(
                "open-questions",
                "Open questions",
                OPTIONAL,
                Part::Text,
                "What do we still not understand about this incident?",
                "List the questions the review could not answer, and what it would take to answer each. Open questions are an honest result, not a gap to hide.",
                "Latency recovered eight minutes after the migration paused, and what held it up in between is unknown. We do not know how many other services read the session cache on every request.",
            ),
            s(
                "went-well",
                "What helped",
                OPTIONAL,
                Part::WentWell,
                "What helped people notice, cope and recover, often in ways no runbook describes?",
                "Look for adaptive capacity: improvisation, expertise, relationships and spare time or capacity that kept things from getting worse. Naming them protects them from being optimised away.",
                "The platform engineer had added a pause switch to the migration tool the week before, for an unrelated reason, and used it within a minute of hearing about the slowdown. A support agent recognised the pattern from an earlier incident and posted a customer notice early.",
            ),
            s(
                "factors",
                "Contributing factors",
                OPTIONAL,
                Part::Factors,
                "Which conditions in the system and the organisation shaped what happened?",
                "Draw them from the narrative, the surprises and what made sense: conditions in tools, information, coordination and goals. There is no need to rank them or to settle on a single cause.",
                "Planned migrations and on-call pages use separate channels, so the people running a change and the people paged for its effects do not see each other's view. The session cache's consumers are not listed anywhere.",
            ),
            s(
                "actions",
                "Follow-up",
                OPTIONAL,
                Part::Actions,
                "What will the organisation try next, based on what was learned?",
                "Favour changes that give people better information, more room to adapt or easier coordination. Keep items specific, with an owner and a date, and say how you will tell whether each one helped.",
                "Announce every planned migration in the incident channel automatically when it starts (process, P2). Find and list the session cache's consumers in the service catalogue within two weeks (investigate, P2).",
            ),
        ],
    )
}

/// For unauthorised access, exposed secrets or data.
fn security() -> Template {
    t(
        "security",
        "Security incident",
        "For incidents involving unauthorised access or exposed secrets or data: adds the scope of exposure, the attack path, containment, eradication and notification duties to the usual review. Share the finished document only as widely as the incident allows.",
        vec![
            s(
                "summary",
                "Summary",
                REQUIRED,
                Part::Summary,
                "What happened, what was exposed, and where do things stand now?",
                "Keep it factual and give the confidence of each claim: confirmed, likely or unknown. Leave out details that would help an attacker if the document travels further than intended.",
                "A payment provider API key was published in a public code repository on 9 September and used by an unknown party 40 minutes later to list customer payment records. The key was revoked at 14:22 UTC the same day. Access to 1,912 customer records is confirmed; no full card numbers were exposed.",
            ),
            s(
                "detection",
                "Detection and reporting",
                REQUIRED,
                Part::Text,
                "How was the incident detected or reported, and how long after it began?",
                "Name the signal or report, when it arrived and how it reached the response team. Refer to outside reporters by role, such as 'a security researcher', and note any delay in routing the report.",
                "The payment provider's secret-scanning partner notified the security team at 14:05 UTC, 52 minutes after the key was pushed. Our own repository scanner runs nightly and had not run yet.",
            ),
            s(
                "exposure",
                "Scope and data exposure",
                REQUIRED,
                Part::Text,
                "Which systems and data were exposed or accessed, and how much of that is confirmed rather than suspected?",
                "Keep what logs confirm apart from what is possible but unproven, and say which logs you relied on and how far back they go. List data categories (personal, payment, credentials) with counts.",
                "Confirmed: 14 API calls listing payment records, covering the names, email addresses and last four card digits of 1,912 customers. Suspected: nothing further; the provider's logs cover the whole period and show no other use of the key. Not exposed: full card numbers and passwords.",
            ),
            s(
                "impact",
                "Impact",
                REQUIRED,
                Part::Impact,
                "What harm did this do to customers, to the business and to its obligations?",
                "Include the people and records affected, disruption caused by containment, costs, and regulatory or contractual consequences. Say which figures are estimates.",
                "A third party read the contact details and partial card data of 1,912 customers. Revoking the key stopped refunds for 25 minutes. The exposure is reportable to the data protection authority within 72 hours.",
            ),
            s(
                "timeline",
                "Timeline",
                REQUIRED,
                Part::Timeline,
                "What happened when, from the first exposure to containment and recovery?",
                "Use UTC or state the time zone, since security timelines mix many log sources. Mark which events come from logs and which from people's accounts, and keep references to the evidence.",
                "13:13 UTC commit containing the key pushed to a public repository. 13:53 first API call from an unknown address. 14:05 provider notification received. 14:22 key revoked. 14:47 replacement key deployed; refunds resume.",
            ),
            s(
                "attack-path",
                "Attack path",
                OPTIONAL,
                Part::Text,
                "How did the access happen, step by step, and which conditions made each step possible?",
                "Trace the path through the system: where the secret or weakness was, how it was found and what it allowed. Describe system conditions such as permissions, defaults and tooling, not people's failings.",
                "The key sat in a local configuration file that a code generator creates, and the repository's ignore rules did not cover that file name. The repository was made public for an open-source release. The key could read all payment records, which is the provider's default scope for new keys.",
            ),
            s(
                "containment",
                "Containment",
                REQUIRED,
                Part::Text,
                "What was done to stop further access, and when?",
                "List each containment step with its time and what it cut off, including trade-offs such as features that stopped working. Note how you verified that access had stopped.",
                "At 14:22 UTC the on-call security engineer revoked the key in the provider console; provider logs show calls with it rejected from 14:22:40. The repository was made private at 14:30 and the commit removed from its history.",
            ),
            s(
                "resolution",
                "Eradication and recovery",
                REQUIRED,
                Part::Text,
                "How were the attacker's access and the underlying weakness removed, and how was service restored?",
                "Cover removing every foothold (credentials, sessions, persistence), rotating related secrets and restoring service safely. Say which checks show that nothing remains.",
                "A replacement key limited to refunds was deployed at 14:47 UTC. Every other provider key was rotated by 17:00. A scan of all repositories and their histories found no other live secrets.",
            ),
            s(
                "notification",
                "Notification and disclosure",
                OPTIONAL,
                Part::Text,
                "Which regulators, customers and partners need to be told, by when, and what has been sent?",
                "List each obligation with its deadline and status, and keep copies of what was sent. Bring in legal and privacy roles early: deadlines often run from the moment of discovery.",
                "The data protection authority was notified on 10 September, inside the 72-hour deadline. Affected customers were emailed on 11 September with advice on phishing. The payment provider was informed on 9 September, as the contract requires.",
            ),
            s(
                "factors",
                "Contributing factors",
                OPTIONAL,
                Part::Factors,
                "Which conditions in systems, tools and processes made the exposure possible, or larger?",
                "Look beyond the single leaked item: default permissions, missing guard rails, review steps that had no way to see the problem, and the pressures of the time. Describe conditions, not anyone's carelessness.",
                "Secret scanning ran nightly rather than on every push. The provider key had far broader access than the service needed. The open-source release checklist had no step for scanning the repository's history.",
            ),
            s(
                "actions",
                "Action items",
                REQUIRED,
                Part::Actions,
                "What will change to prevent, detect and limit similar exposures, and which team owns each change?",
                "Cover prevention, faster detection and faster containment, each item with an owner, a priority and a due date. Sensitive items can be described in general terms here and tracked in detail elsewhere.",
                "Reject pushes that contain secrets with a server-side scan (prevent, P1). Limit provider keys to the scopes each service uses (mitigate, P1). Add a history scan to the open-source release checklist (process, P2).",
            ),
            s(
                "lessons",
                "Lessons",
                OPTIONAL,
                Part::Lessons,
                "What went well, what went wrong, and where did we get lucky?",
                "Fill all three lists, as in any review. In security incidents luck often hides in what the attacker did not try; name it so it is not mistaken for a defence.",
                "Went well: the provider's notification reached the security rota within minutes. Went wrong: revoking the key also stopped refunds, because one key served both. Got lucky: the key could read records but not move money.",
            ),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::wording::{Context, FieldKind, check};

    #[test]
    fn every_builtin_is_well_formed() {
        for t in all() {
            assert!(t.problems().is_empty(), "{}: {:?}", t.id, t.problems());
            assert_eq!(t.version, 1, "{}", t.id);
            assert!(!t.name.trim().is_empty(), "{}", t.id);
            assert!(!t.description.trim().is_empty(), "{}", t.id);
        }
    }

    #[test]
    fn section_keys_are_unique_lower_case_and_hyphenated() {
        for t in all() {
            for (i, s) in t.sections.iter().enumerate() {
                assert!(t.sections[..i].iter().all(|o| o.key != s.key), "{}: key {} twice", t.id, s.key);
                assert!(s.key.chars().all(|c| c.is_ascii_lowercase() || c == '-'), "{}: key {}", t.id, s.key);
                assert!(!s.key.starts_with('-') && !s.key.ends_with('-') && !s.key.contains("--"), "{}", s.key);
            }
        }
    }

    #[test]
    fn every_section_asks_a_question_and_explains_it_with_an_example() {
        for t in all() {
            for s in &t.sections {
                assert!(!s.title.trim().is_empty(), "{}: {}", t.id, s.key);
                assert!(!s.prompt.trim().is_empty() && s.prompt.ends_with('?'), "{}: {} prompt", t.id, s.key);
                assert!(!s.help.trim().is_empty(), "{}: {} help", t.id, s.key);
                assert!(!s.example.trim().is_empty(), "{}: {} example", t.id, s.key);
            }
        }
    }

    #[test]
    fn prompts_and_examples_pass_the_wording_check() {
        let context = Context { field: FieldKind::Narrative, participants: &[] };
        for t in all() {
            for s in &t.sections {
                for text in [&s.prompt, &s.example] {
                    let phrases: Vec<String> = check(text, &context).into_iter().map(|f| f.phrase).collect();
                    assert!(phrases.is_empty(), "{}: {}: {phrases:?} in {text}", t.id, s.key);
                }
            }
        }
    }

    #[test]
    fn ids_are_unique() {
        let templates = all();
        for (i, t) in templates.iter().enumerate() {
            assert!(templates[..i].iter().all(|o| o.id != t.id), "{} twice", t.id);
        }
        assert_eq!(templates.len(), 6);
    }

    #[test]
    fn find_returns_each_builtin_and_the_default_comes_first() {
        for t in all() {
            assert_eq!(find(&t.id).as_ref(), Some(&t));
            assert!(t.id.is_builtin(), "{}", t.id);
        }
        let default = TemplateId(DEFAULT.to_owned());
        assert!(find(&default).is_some());
        assert_eq!(all().first().map(|t| t.id.clone()), Some(default));
        assert!(find(&TemplateId("no-such-template".to_owned())).is_none());
        assert!(!TemplateId::random().is_builtin());
    }

    #[test]
    fn shared_concepts_use_the_same_key_in_every_template() {
        for t in all() {
            for s in &t.sections {
                let expected = match s.part {
                    Part::Text => continue,
                    Part::Summary => "summary",
                    Part::Impact => "impact",
                    Part::Participants => "people",
                    Part::Timeline => "timeline",
                    Part::Factors => "factors",
                    Part::Whys => "whys",
                    Part::Actions => "actions",
                    Part::Lessons => "lessons",
                    Part::WentWell => "went-well",
                    Part::WentWrong => "went-wrong",
                    Part::GotLucky => "got-lucky",
                };
                assert_eq!(s.key, expected, "{}: {}", t.id, s.title);
            }
        }
    }

    #[test]
    fn written_answers_that_recur_keep_their_key_across_templates() {
        let templates = all();
        let text_keys = |t: &Template| -> Vec<String> {
            t.sections.iter().filter(|s| s.part == Part::Text).map(|s| s.key.clone()).collect()
        };
        // How service came back is kept under one key, whatever a template calls it.
        for id in ["lightweight", "google-sre", "pagerduty", "atlassian", "security"] {
            let t = find(&TemplateId(id.to_owned())).expect("built-in");
            assert!(text_keys(&t).contains(&"resolution".to_owned()), "{id}");
        }
        for id in ["google-sre", "atlassian", "security"] {
            let t = find(&TemplateId(id.to_owned())).expect("built-in");
            assert!(text_keys(&t).contains(&"detection".to_owned()), "{id}");
        }
        // A written answer never takes a key another template uses for a structured part.
        for t in &templates {
            for key in text_keys(t) {
                let clash = templates.iter().flat_map(|o| &o.sections).any(|s| s.key == key && s.part != Part::Text);
                assert!(!clash, "{}: {key}", t.id);
            }
        }
    }

    #[test]
    fn templates_cover_their_sources_structure() {
        let parts = |id: &str| -> Vec<Part> {
            find(&TemplateId(id.to_owned())).map(|t| t.sections.iter().map(|s| s.part).collect()).unwrap_or_default()
        };
        assert!(parts("google-sre").contains(&Part::Lessons));
        assert!(parts("pagerduty").contains(&Part::Participants));
        assert!(parts("pagerduty").contains(&Part::WentWell) && parts("pagerduty").contains(&Part::WentWrong));
        assert!(parts("atlassian").contains(&Part::Whys));
        assert!(parts("security").contains(&Part::Lessons));
        for id in ["google-sre", "pagerduty", "atlassian", "lightweight", "security"] {
            let t = find(&TemplateId(id.to_owned())).expect("built-in");
            assert!(t.sections.iter().any(|s| s.part == Part::Impact && s.required), "{id}");
        }
    }
}
