package dev.tollgate.errors;

/** The live version has burnt its error budget (or its budget cannot be read) and the spec does not say {@code override}. */
public final class ErrorBudgetExhaustedException extends TerminalException {

    public ErrorBudgetExhaustedException(String message) {
        super(message);
    }
}
