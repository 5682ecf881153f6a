package dev.tollgate.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.decision.OperatorRequest;
import dev.tollgate.deployment.DeploymentRecord;
import dev.tollgate.deployment.DeploymentStatus;
import dev.tollgate.deployment.DeploymentStore;
import dev.tollgate.deployment.LockHolder;
import dev.tollgate.deployment.TimelineEntry;
import dev.tollgate.errors.ApprovalNotPendingException;
import dev.tollgate.errors.BadRequestException;
import dev.tollgate.errors.DeploymentIdInUseException;
import dev.tollgate.errors.DeploymentNotFoundException;
import dev.tollgate.errors.DeploymentNotRunningException;
import dev.tollgate.errors.RollbackRefusedException;
import dev.tollgate.json.Json;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.spec.RolloutBudget.Caps;
import dev.tollgate.spec.SpecValidator;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Steering deployments by hand (the {@code tollgate} command's start, status, approve, abort,
 * promote, rollback and list). Every human decision is recorded on the deployment's record with who and
 * when. Abort and promote leave an operator request that {@code Decide} acts on at the next tick;
 * when an approval gate is waiting they also answer it, so the state machine moves at once.
 */
public final class OpsService {

    /** The error name the state machine's {@code AwaitApproval} Catch routes to the rollback. */
    public static final String ABORTED = "Aborted";
    /** The error name the state machine's {@code KeepRollbackWindowOpen} Catch routes to the rollback. */
    public static final String ROLLED_BACK = "RolledBack";

    public static final int MAX_LIST = 100;

    private final DeploymentStore store;
    private final DeploymentExecutions executions;
    private final ApprovalGates gates;
    private final SpecValidator validator;
    private final Clock clock;

    public OpsService(
            DeploymentStore store,
            DeploymentExecutions executions,
            ApprovalGates gates,
            SpecValidator validator,
            Clock clock) {
        this.store = store;
        this.executions = executions;
        this.gates = gates;
        this.validator = validator;
        this.clock = clock;
    }

    /** What {@link #start} started. */
    public record Started(String deploymentId, String executionArn) {}

    /**
     * Validates the spec here first (every problem at once, nothing started), then starts the
     * execution named after the deployment id. Starting the same spec again while it runs finds the
     * running execution; an id used before by another spec or an ended execution is refused.
     */
    public Started start(JsonNode specRequest) {
        DeploymentSpec spec = validator.validate(specRequest);
        StartedExecution started = executions.start(spec.deploymentId(), Json.write(specRequest));
        if (started.existedBefore()) {
            String state = executions
                    .describe(started.executionArn())
                    .map(execution -> execution.state().name())
                    .orElse("unknown");
            throw new DeploymentIdInUseException(
                    "deployment id " + spec.deploymentId() + " was already used by execution " + started.executionArn()
                            + " (" + state + "); give this release a new deploymentId");
        }
        return new Started(spec.deploymentId(), started.executionArn());
    }

    public StatusReport status(String deploymentId) {
        DeploymentFacts facts = DeploymentFacts.find(store, executions, deploymentId);
        return new StatusReport(
                deploymentId,
                facts.record(),
                facts.execution(),
                RolloutProgress.from(facts.history()),
                HistoryReport.lines(facts.history()));
    }

    /** Answers the waiting approval gate: the rollout goes on as {@code Decide} planned (next step or promotion). */
    public OperatorAction approve(String deploymentId, String who, String note) {
        checkOperatorInput(who, note, "--note");
        DeploymentRecord record = running(deploymentId);
        Integer step = record.awaitingApprovalStep();
        String token = store.approvalToken(deploymentId)
                .orElseThrow(() ->
                        new ApprovalNotPendingException("deployment " + deploymentId + " is not waiting for approval"));
        Instant now = clock.instant();
        String message = "approved by " + who + (blank(note) ? "" : ": " + note);
        if (!gates.approve(token, answer("APPROVE", who, now, message))) {
            store.clearApproval(deploymentId);
            throw new ApprovalNotPendingException("the approval gate of " + deploymentId
                    + " was answered already or timed out; see tollgate status " + deploymentId);
        }
        store.clearApproval(deploymentId);
        store.append(deploymentId, new TimelineEntry("approved-" + step, now, "Approved", message, step, null, null));
        return new OperatorAction(deploymentId, who, true, message + "; the rollout goes on");
    }

    /**
     * Rolls back: at once when an approval gate is waiting or the promotion's rollback window is open,
     * otherwise at the next analysis tick.
     */
    public OperatorAction abort(String deploymentId, String who, String reason) {
        checkOperatorInput(who, reason, "--reason");
        DeploymentRecord record = running(deploymentId);
        Optional<String> window = store.rollbackToken(deploymentId);
        if (window.isPresent()) {
            return answerRollbackWindow(record, window.get(), OperatorRequest.Kind.ABORT, who, reason);
        }
        Instant now = clock.instant();
        store.requestOperatorAction(
                deploymentId, new OperatorRequest(OperatorRequest.Kind.ABORT, who, now, blankToNull(reason)));
        String message = "aborted by " + who + (blank(reason) ? "" : ": " + reason);
        Optional<String> token = store.approvalToken(deploymentId);
        boolean answered = token.isPresent() && gates.reject(token.get(), ABORTED, message);
        if (token.isPresent()) {
            store.clearApproval(deploymentId);
        }
        store.append(
                deploymentId,
                new TimelineEntry(
                        "abort-" + now.toEpochMilli(),
                        now,
                        "AbortRequested",
                        message
                                + (answered
                                        ? "; rolling back now (answered the approval gate)"
                                        : "; rolls back at the next tick"),
                        null,
                        null,
                        null));
        return new OperatorAction(
                deploymentId,
                who,
                answered,
                answered
                        ? "rolling back now: the approval gate was answered"
                        : "rolls back at the next tick (within one analysis period)");
    }

    /**
     * Skips the remaining steps to 100 %: at once when an approval gate is waiting, otherwise at the
     * next tick. Once promoted, inside the rollback window, it closes the window now.
     */
    public OperatorAction promote(String deploymentId, String who, String reason) {
        checkOperatorInput(who, reason, "--reason");
        DeploymentRecord record = running(deploymentId);
        Optional<String> window = store.rollbackToken(deploymentId);
        if (window.isPresent()) {
            return answerRollbackWindow(record, window.get(), OperatorRequest.Kind.PROMOTE, who, reason);
        }
        Instant now = clock.instant();
        store.requestOperatorAction(
                deploymentId, new OperatorRequest(OperatorRequest.Kind.PROMOTE, who, now, blankToNull(reason)));
        String message = "promoted by " + who + (blank(reason) ? "" : ": " + reason);
        Optional<String> token = store.approvalToken(deploymentId);
        boolean answered = token.isPresent() && gates.approve(token.get(), answer("PROMOTE", who, now, message));
        if (token.isPresent()) {
            store.clearApproval(deploymentId);
        }
        store.append(
                deploymentId,
                new TimelineEntry(
                        "promote-" + now.toEpochMilli(),
                        now,
                        "PromoteRequested",
                        message
                                + (answered
                                        ? "; promoting now (answered the approval gate)"
                                        : "; promotes at the next tick"),
                        null,
                        null,
                        null));
        return new OperatorAction(
                deploymentId,
                who,
                answered,
                answered
                        ? "promoting now: the approval gate was answered"
                        : "promotes at the next tick (within one analysis period)");
    }

    /**
     * Sends all of {@code service}'s traffic back to the version before its last promotion, at once
     * and without analysis, while that promotion's rollback window is open: answers the window's
     * parked token, and the state machine rolls back as it would for an abort. Refused, saying why
     * and what to do instead, when another deployment holds the service's lock or no window is open.
     */
    public OperatorAction rollback(String service, String who, String reason) {
        checkOperatorInput(who, reason, "--reason");
        if (blank(reason)) {
            throw new BadRequestException(
                    "a rollback needs --reason: it goes on the deployment's record with who asked");
        }
        Instant now = clock.instant();
        LockHolder holder =
                store.lockHolder(service).orElseThrow(() -> new RollbackRefusedException(noWindow(service)));
        DeploymentRecord record = store.find(holder.deploymentId())
                .orElseThrow(() -> new RollbackRefusedException("deployment " + holder.deploymentId()
                        + " holds the lock of " + service + " but has no record; see tollgate lock " + service));
        Optional<String> token = store.rollbackToken(record.deploymentId());
        if (record.rollbackWindowUntil() == null || token.isEmpty()) {
            throw new RollbackRefusedException("deployment " + record.deploymentId() + " holds the lock of " + service
                    + " and is not in a rollback window "
                    + (record.status().finished()
                            ? "(it ended " + record.status() + "): see tollgate lock " + service
                            : "(RUNNING, still rolling out): roll it back with tollgate abort "
                                    + record.deploymentId()));
        }
        if (!record.rollbackWindowOpen(now)) {
            throw new RollbackRefusedException(closed(record));
        }
        return answerRollbackWindow(record, token.get(), OperatorRequest.Kind.ABORT, who, reason);
    }

    /**
     * Answers the open rollback window's token: {@code ABORT} fails it with {@link #ROLLED_BACK} (all
     * traffic back at once), {@code PROMOTE} succeeds it (the window closes now). The request goes on
     * the record first, so the rollback's outcome names the operator.
     */
    private OperatorAction answerRollbackWindow(
            DeploymentRecord record, String token, OperatorRequest.Kind kind, String who, String reason) {
        String id = record.deploymentId();
        Instant now = clock.instant();
        boolean rollBack = kind == OperatorRequest.Kind.ABORT;
        store.requestOperatorAction(id, new OperatorRequest(kind, who, now, blankToNull(reason)));
        String message = (rollBack ? "rolled back by " : "promoted by ") + who + (blank(reason) ? "" : ": " + reason);
        boolean answered = rollBack
                ? gates.reject(token, ROLLED_BACK, message)
                : gates.approve(token, answer("PROMOTE", who, now, message));
        if (!answered) {
            throw new RollbackRefusedException(closed(record));
        }
        store.append(
                id,
                new TimelineEntry(
                        (rollBack ? "rollback-" : "promote-") + now.toEpochMilli(),
                        now,
                        rollBack ? "RollbackRequested" : "PromoteRequested",
                        message
                                + (rollBack
                                        ? "; all traffic goes back to the old version now"
                                        : "; the rollback window closes now"),
                        null,
                        null,
                        null));
        return new OperatorAction(
                id,
                who,
                true,
                rollBack
                        ? "rolling back now: all traffic of " + record.service() + " goes back to the version before "
                                + id + ", without analysis; follow it with tollgate status " + id
                        : "closing the rollback window now: the old version is retired after what is left of the drain");
    }

    private static String closed(DeploymentRecord record) {
        return "the rollback window of " + record.deploymentId() + " closed at " + record.rollbackWindowUntil()
                + ": the old version is retired or being retired; deploy the previous release again to go back";
    }

    /** Why no window is open when nobody holds the lock: the last window of the service, if any, has closed. */
    private String noWindow(String service) {
        return store.latestWithRollbackWindow(service)
                .map(record -> closed(record) + " (it ended " + record.status() + ")")
                .orElse("no rollback window is open for " + service
                        + ": no deployment of it holds the lock, and none of its deployments kept a window "
                        + "(afterPromotion.rollbackWindowSeconds in the spec)");
    }

    /** Running and recent deployments, newest first, at most {@link #MAX_LIST}. */
    public List<DeploymentRecord> list(int limit) {
        return store.recent(Math.max(1, Math.min(MAX_LIST, limit)));
    }

    /**
     * Who acts and why go into the execution's state (the approval gate's answer, the decision), so
     * they are held to the sizes its budget counts on, and kept to one line.
     */
    private static void checkOperatorInput(String who, String note, String noteOption) {
        if (who == null || who.isBlank() || who.length() > Caps.OPERATOR_NAME_CHARACTERS || hasControlCharacters(who)) {
            throw new BadRequestException("the operator's name must be 1 to " + Caps.OPERATOR_NAME_CHARACTERS
                    + " characters on one line (--as)" + (who == null ? "" : ", found " + who.length()));
        }
        if (note != null && (note.length() > Caps.OPERATOR_NOTE_CHARACTERS || hasControlCharacters(note))) {
            throw new BadRequestException(noteOption + " must be at most " + Caps.OPERATOR_NOTE_CHARACTERS
                    + " characters on one line, found " + note.length() + " characters");
        }
    }

    private static boolean hasControlCharacters(String text) {
        return text.chars().anyMatch(Character::isISOControl);
    }

    private DeploymentRecord running(String deploymentId) {
        DeploymentRecord record = store.find(deploymentId)
                .orElseThrow(() ->
                        new DeploymentNotFoundException("no deployment " + deploymentId + " in the deployments table"));
        if (record.status() != DeploymentStatus.RUNNING) {
            throw new DeploymentNotRunningException("deployment " + deploymentId + " is not running: it ended "
                    + record.status() + (record.reason() == null ? "" : " (" + record.reason() + ")"));
        }
        return record;
    }

    /** The approval gate's output: {@code AfterApproval} promotes at once on {@code action: PROMOTE}. */
    private static String answer(String action, String who, Instant at, String reason) {
        ObjectNode output = Json.MAPPER.createObjectNode();
        output.put("action", action);
        output.put("decidedBy", who);
        output.put("decidedAt", at.toString());
        output.put("reason", reason);
        return Json.write(output);
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }

    private static String blankToNull(String text) {
        return blank(text) ? null : text;
    }
}
