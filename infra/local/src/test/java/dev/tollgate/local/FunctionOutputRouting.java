package dev.tollgate.local;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Routes the functions' output (to each local stack's functions.log) before the first test runs, so
 * a test that wraps {@code System.out} (SecretLeakIT captures it) wraps the routing and does not
 * bypass it for the stacks of the tests running beside it.
 */
public final class FunctionOutputRouting implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        FunctionOutput.install();
    }
}
