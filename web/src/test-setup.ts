import { configure } from '@solidjs/testing-library';

// waitFor/findBy give up after 1 s by default; on a busy 2-core CI machine a render that takes
// 1.1 s is slow, not wrong. Component tests wait up to 5 s before failing.
configure({ asyncUtilTimeout: 5000 });
