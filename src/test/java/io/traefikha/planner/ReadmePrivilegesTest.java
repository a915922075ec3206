package io.traefikha.planner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's "Preparing your homelab" creates the role with exactly the privileges the operator plans for
 * ({@link PrivilegePlanner#ROLE_PRIVILEGES}), explains each one in its table, and grants it to the user and the token.
 */
class ReadmePrivilegesTest {

    private static final Path README = Path.of("README.md");

    @Test
    void theReadmesRoleHasExactlyThePlannersPrivileges() throws Exception {
        String readme = Files.readString(README);
        Matcher roleAdd = Pattern.compile("pveum role add " + PrivilegePlanner.ROLE + " -privs \"([^\"]*)\"").matcher(readme);
        assertThat(roleAdd.find()).as("README has the pveum role add command").isTrue();
        List<String> privileges = Arrays.asList(roleAdd.group(1).split(","));
        assertThat(privileges).containsExactlyElementsOf(PrivilegePlanner.ROLE_PRIVILEGES);
        assertThat(roleAdd.find()).as("one role add command only").isFalse();
        for (String privilege : PrivilegePlanner.ROLE_PRIVILEGES) {
            assertThat(readme).as("the table explains " + privilege).contains("| `" + privilege + "` |");
        }
        assertThat(readme).contains("pveum user token add traefikha@pve operator --privsep 1")
                .contains("pveum acl modify / --users traefikha@pve --roles " + PrivilegePlanner.ROLE)
                .contains("pveum acl modify / --tokens 'traefikha@pve!operator' --roles " + PrivilegePlanner.ROLE);
    }
}
