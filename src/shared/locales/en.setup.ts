/** English texts of the setup area (wired into en.ts as `setup`): connecting Zoom. */
export const enSetup = {
  consent: {
    waiting:
      'Finish in the Zoom window that opened. This page shows the connection by itself once Zoom is connected.',
    stoppedWaiting:
      'This page stopped waiting for Zoom. If you connected Zoom in the other window, reload this page.',
  },
  connected: {
    close:
      'You can close this window: the Zoom connection page in your course shows the connection by itself.',
    openHere: 'Or <a href="{{url}}">open the Zoom connection page here</a>.',
  },
};
